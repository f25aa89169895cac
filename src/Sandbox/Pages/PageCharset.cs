using System.Text;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// How HTML pages are labelled and encoded: the Content-Type charset parameter is the CharsetLabel option
/// verbatim (the real site sends "charset=utf8"), the bytes and the meta charset follow PageEncoding.
/// Read per response, so the options may change while the site runs.
/// </summary>
internal sealed class PageCharset(SandboxOptions options)
{
    private static readonly Encoding Gbk = GbkWithReferences();

    public string HtmlType => WithCharset("text/html", options.CharsetLabel);

    public string JsonType => WithCharset("application/json", options.ApiCharsetLabel);

    /// <summary>The name in the page's <c>&lt;meta charset&gt;</c>.</summary>
    public string MetaName => IsGbk ? "gbk" : "utf-8";

    public byte[] Encode(string html) => IsGbk ? Gbk.GetBytes(html) : Encoding.UTF8.GetBytes(html);

    private bool IsGbk => string.Equals(options.PageEncoding, "gbk", StringComparison.OrdinalIgnoreCase);

    // No space after ';': the site writes "text/html;charset=utf8".
    private static string WithCharset(string mediaType, string label) =>
        label.Length == 0 ? mediaType : $"{mediaType};charset={label}";

    private static Encoding GbkWithReferences()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("gbk", new CharacterReferenceFallback(), DecoderFallback.ExceptionFallback);
    }
}
