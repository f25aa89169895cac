using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FunctionsCrawler.Dashboard;

/// <summary>The live dashboard served at <c>GET /api/dashboard</c>: one self-contained HTML page
/// (embedded <c>dashboard.html</c>) that polls <c>./status</c> every 2 s.</summary>
public static partial class DashboardPage
{
    private const string ResourceName = "dashboard.html";
    private const string ScriptHashPlaceholder = "__SCRIPT_HASH__";

    /// <summary>The page, with its Content-Security-Policy pinned to the hash of its own script.</summary>
    public static string Html { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream(typeof(DashboardPage), ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {typeof(DashboardPage).Namespace}.{ResourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // Browsers hash the script text after turning CRLF into LF; a Windows checkout must match.
        var html = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        var script = InlineScript().Match(html);
        if (!script.Success) throw new InvalidOperationException("dashboard.html has no inline <script>.");
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script.Groups["body"].Value)));
        return html.Replace(ScriptHashPlaceholder, "sha256-" + hash, StringComparison.Ordinal);
    }

    [GeneratedRegex("<script>(?<body>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
