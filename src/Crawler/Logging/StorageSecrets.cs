using System.Text.RegularExpressions;

namespace FunctionsCrawler.Logging;

/// <summary>
/// Hides the secrets a storage connection string or URI carries (account key, shared access
/// signature) wherever one may end up in a message: a startup error, an Azure SDK exception that
/// quotes the connection string or a SAS URI, a setting echoed back.
/// </summary>
public static partial class StorageSecrets
{
    public const string Hidden = "***";

    /// <summary><c>AccountKey=abc…</c> → <c>AccountKey=***</c>, <c>?sv=…&amp;sig=abc</c> → <c>sig=***</c>, <c>SharedKey acct:sig</c> → <c>SharedKey acct:***</c>.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        text = ConnectionStringSecret().Replace(text, m => m.Groups[1].Value + "=" + Hidden);
        text = SignatureParameter().Replace(text, m => m.Groups[1].Value + Hidden);
        return SharedKeyHeader().Replace(text, m => m.Groups[1].Value + Hidden);
    }

    // A value runs to the next ';' (connection strings), '&' (URIs), or a quote, bracket or whitespace (messages quoting them).
    [GeneratedRegex(@"\b(AccountKey|SharedAccessKey|SharedAccessSignature)\s*=\s*[^;\s""'<>()]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringSecret();

    [GeneratedRegex(@"((?:^|[?&;\s])sig=)[^&;\s""'<>()]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SignatureParameter();

    [GeneratedRegex(@"(\bSharedKey(?:Lite)?\s+[^:\s]+:)[^\s""',;]+", RegexOptions.CultureInvariant)]
    private static partial Regex SharedKeyHeader();
}
