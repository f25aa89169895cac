using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// The checks every parser runs before reading a response: the site's block, not-found and
/// overload shapes, most of which arrive as HTTP 200.
/// </summary>
public static class ResponseClassifier
{
    private const int MaxQuoted = 80;

    /// <summary>
    /// Sorts a response into Blocked / Gone / Malformed by its known error shapes; <see cref="PageOutcome.Ok"/>
    /// means none matched and the caller should go on parsing (it does not mean the body is usable).
    /// </summary>
    public static (PageOutcome Outcome, string? Reason) Classify(int httpStatus, string? body)
    {
        switch (httpStatus)
        {
            case 503:
                return (PageOutcome.Blocked, "HTTP 503 from site");
            case 429:
                return (PageOutcome.Blocked, "HTTP 429 from site");
            case 404:
                return (PageOutcome.Gone, "HTTP 404 from site");
            case >= 500:
                // Transient server faults: retried upstream like any unexpected response.
                return (PageOutcome.Malformed, $"HTTP {httpStatus} from site");
            case < 200 or >= 300:
                return (PageOutcome.Malformed, $"HTTP {httpStatus} from site");
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return (PageOutcome.Blocked, "empty body");
        }

        var text = body.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith('{'))
        {
            return ClassifyJson(text);
        }

        // A real list or detail page can quote the error phrases in user text (a title, a description);
        // its own structure cannot be faked by user text, so such a page is never taken for an error page.
        if (IsContentPage(text))
        {
            return (PageOutcome.Ok, null);
        }

        if (text.Contains("服务器开小差", StringComparison.Ordinal))
        {
            return (PageOutcome.Blocked, "site overload page (服务器开小差)");
        }

        if (text.Contains("你要查找的网页找不到", StringComparison.Ordinal))
        {
            return (PageOutcome.Gone, "page not found");
        }

        return (PageOutcome.Ok, null);
    }

    /// <summary>A single line of at most ~80 characters of <paramref name="text"/>, for reasons and logs.</summary>
    internal static string Quote(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(Math.Min(text.Length, MaxQuoted + 1));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (sb.Length >= MaxQuoted)
            {
                sb.Append('…');
                break;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static bool IsContentPage(string html) =>
        html.Contains("id=\"m-pl-container\"", StringComparison.Ordinal)
        || html.Contains("id=\"content-operation\"", StringComparison.Ordinal);

    private static (PageOutcome, string?) ClassifyJson(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            // Not ours to judge: the JSON parser reports it as Malformed, an HTML parser finds no page in it.
            return (PageOutcome.Ok, null);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("code", out var codeElement)
                || ReadCode(codeElement) is not { } code)
            {
                return (PageOutcome.Ok, null);
            }

            var outcome = code switch
            {
                -460 or -462 or 405 or 406 => PageOutcome.Blocked,
                301 or 20001 or 401 or 404 => PageOutcome.Gone,
                _ => PageOutcome.Ok,
            };
            if (outcome == PageOutcome.Ok)
            {
                return (PageOutcome.Ok, null);
            }

            var message = Quote(ReadMessage(doc.RootElement));
            return (outcome, message.Length == 0 ? $"code {code}" : $"code {code}: {message}");
        }
    }

    private static long? ReadCode(JsonElement code) => code.ValueKind switch
    {
        JsonValueKind.Number when code.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(code.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    private static string? ReadMessage(JsonElement root)
    {
        foreach (var name in (ReadOnlySpan<string>)["msg", "message", "blockText"])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(value.GetString()))
            {
                return value.GetString();
            }
        }

        // -462 puts its text under data: {"code":-462,"data":{"blockText":"…","url":"…"}}.
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            return ReadMessage(data);
        }

        return null;
    }
}
