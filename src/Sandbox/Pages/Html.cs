using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>Escaping and formatting shared by the Sandbox's pages.</summary>
internal static class Html
{
    /// <summary>China Standard Time: the site renders dates for its own users.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>Relaxed JSON escaping keeps Chinese readable, as the site's API does; quotes and controls are still escaped.</summary>
    public static readonly JsonWriterOptions ApiJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Escapes text for element content and double-quoted attributes.</summary>
    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A category in a URL: UTF-8 percent-encoding with %20 for space, %26 for &amp; and %2F for /.</summary>
    public static string Cat(string category) => Uri.EscapeDataString(category);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Multi-line text as the site shows it: each line escaped, lines joined by &lt;br /&gt;.</summary>
    public static string Lines(string text) => string.Join("<br />", text.Split('\n').Select(Encode));

    /// <summary>JSON inside &lt;script&gt;: entities are not decoded there, so '&lt;' is escaped to keep "&lt;/script&gt;" out.</summary>
    public static string ScriptJson(string json) => json.Replace("<", "\\u003c", StringComparison.Ordinal);

    public static string ChinaDate(DateTimeOffset time, string format) =>
        time.ToOffset(ChinaOffset).ToString(format, CultureInfo.InvariantCulture);
}
