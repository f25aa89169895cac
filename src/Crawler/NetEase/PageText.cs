using System.Text;
using System.Text.RegularExpressions;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// Turns a response's bytes into text the way a browser does, never throwing: a byte-order mark wins,
/// then the <c>Content-Type</c> charset label, then a <c>&lt;meta charset&gt;</c> in the first 1024 bytes,
/// then UTF-8. Labels are resolved by the WHATWG Encoding Standard's table (so <c>utf8</c>, which the
/// real site sends and <c>HttpContent.ReadAsStringAsync</c> rejects, is UTF-8, and <c>gb2312</c> is GBK);
/// an unknown label is ignored. Bytes that do not decode become U+FFFD.
/// </summary>
public static partial class PageText
{
    /// <summary>How far into the body a &lt;meta charset&gt; is looked for (the WHATWG prescan's window).</summary>
    private const int MetaPrescanBytes = 1024;

    private static readonly Lazy<bool> CodePages = new(() =>
    {
        // GBK, GB18030, Big5, Shift_JIS… live in the code-pages provider, which .NET does not register by default.
        System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return true;
    });

    // WHATWG "Encodings" table, the labels a Chinese music site and its proxies plausibly send; label → code page.
    private static readonly Dictionary<string, int> Labels = BuildLabels();

    public static string Decode(ReadOnlySpan<byte> body, string? contentType) => EncodingOf(body, contentType).GetString(StripBom(body));

    /// <summary>The encoding a browser would use for these bytes with this <c>Content-Type</c>.</summary>
    public static Encoding EncodingOf(ReadOnlySpan<byte> body, string? contentType)
    {
        if (FromBom(body) is { } bom) return bom;
        if (Resolve(CharsetParameter(contentType)) is { } labelled) return labelled;
        if (Resolve(MetaCharset(body)) is { } meta) return meta;
        return Utf8;
    }

    /// <summary>The encoding a WHATWG label names, or null when the label is unknown or missing.</summary>
    public static Encoding? Resolve(string? label)
    {
        if (string.IsNullOrWhiteSpace(label)) return null;
        // Labels are matched ASCII case-insensitively after trimming ASCII whitespace (and quotes a server may add).
        var key = label.Trim().Trim('"', '\'').Trim().ToLowerInvariant();
        if (!Labels.TryGetValue(key, out var codePage)) return null;
        if (codePage == 65001) return Utf8;
        _ = CodePages.Value;
        try
        {
            return System.Text.Encoding.GetEncoding(codePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null; // a code page this runtime lacks: decode as if unlabelled
        }
    }

    /// <summary>The charset parameter of a Content-Type value (<c>text/html;charset=utf8</c> → <c>utf8</c>), or null.</summary>
    public static string? CharsetParameter(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return null;
        var match = CharsetPattern().Match(contentType);
        return match.Success ? match.Groups["label"].Value : null;
    }

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private static Encoding? FromBom(ReadOnlySpan<byte> b) =>
        b.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? Utf8
        : b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: false)
        : b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: false)
        : null;

    private static ReadOnlySpan<byte> StripBom(ReadOnlySpan<byte> b) =>
        b.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? b[3..]
        : b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? b[2..]
        : b;

    /// <summary><c>&lt;meta charset="x"&gt;</c> or <c>&lt;meta http-equiv="Content-Type" content="…; charset=x"&gt;</c> in the first bytes.</summary>
    private static string? MetaCharset(ReadOnlySpan<byte> body)
    {
        // Latin-1 maps each byte to one char, so ASCII markup is found whatever the real encoding.
        var head = System.Text.Encoding.Latin1.GetString(body[..Math.Min(body.Length, MetaPrescanBytes)]);
        foreach (Match meta in MetaTagPattern().Matches(head))
        {
            var tag = meta.Value;
            var direct = MetaCharsetAttribute().Match(tag);
            if (direct.Success) return ForMeta(direct.Groups["label"].Value);
            if (HttpEquivContentType().IsMatch(tag) && ContentAttribute().Match(tag) is { Success: true } content
                && CharsetParameter(content.Groups["value"].Value) is { } label)
                return ForMeta(label);
        }
        return null;
    }

    // A page cannot be UTF-16 if its ASCII meta tag was readable: WHATWG maps such a meta label to UTF-8.
    private static string ForMeta(string label) =>
        Resolve(label) is UnicodeEncoding ? "utf-8" : label;

    [GeneratedRegex("""charset\s*=\s*(?<label>"[^"]*"|'[^']*'|[^;,\s]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CharsetPattern();

    [GeneratedRegex("<meta\\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MetaTagPattern();

    [GeneratedRegex("""\bcharset\s*=\s*["']?(?<label>[^"'\s/>;]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MetaCharsetAttribute();

    [GeneratedRegex("""\bhttp-equiv\s*=\s*["']?content-type""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HttpEquivContentType();

    [GeneratedRegex("""\bcontent\s*=\s*(?:"(?<value>[^"]*)"|'(?<value>[^']*)'|(?<value>[^\s>]+))""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ContentAttribute();

    private static Dictionary<string, int> BuildLabels()
    {
        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        void Add(int codePage, params string[] labels)
        {
            foreach (var label in labels) table[label] = codePage;
        }
        Add(65001, "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8");
        // WHATWG decodes GBK labels (gb2312 included) as GBK, a superset; code page 936 is GBK.
        Add(936, "chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58", "x-gbk");
        Add(54936, "gb18030");
        Add(950, "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5");
        Add(932, "csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis");
        Add(51932, "cseucpkdfmtjapanese", "euc-jp", "x-euc-jp");
        Add(949, "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949");
        // WHATWG: ASCII and Latin-1 labels mean windows-1252.
        Add(1252, "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1",
            "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252");
        Add(1200, "csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le");
        Add(1201, "unicodefffe", "utf-16be");
        Add(1251, "cp1251", "windows-1251", "x-cp1251");
        Add(20866, "cskoi8r", "koi", "koi8", "koi8-r", "koi8_r");
        return table;
    }
}
