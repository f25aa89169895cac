using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// The checks every parser runs before reading a response: the site's block, not-found and
/// overload shapes, most of which arrive as HTTP 200. Pure: it reads the status and the body text, nothing else.
/// </summary>
/// <remarks>
/// Rules, first match wins:
/// <code>
/// | # | HTTP status      | body                                               | outcome   |
/// |---|------------------|----------------------------------------------------|-----------|
/// | 1 | any              | JSON object, code -460 / -462 / 405 / 406          | Blocked   |
/// | 2 | 429, 503         | any                                                | Blocked   |
/// | 3 | any              | HTML overload page (服务器开小差), not a list/detail page | Blocked |
/// | 4 | 404              | any                                                | Gone      |
/// | 5 | other 5xx        | any (500, 502, 504, …: retried upstream)           | Malformed |
/// | 6 | other non-2xx    | any (400, 403, 3xx, …)                             | Malformed |
/// | 7 | 2xx              | empty or whitespace                                | Blocked   |
/// | 8 | 2xx              | JSON object, code 301 / 20001 / 401 / 404          | Gone      |
/// | 9 | 2xx              | HTML not-found page (你要查找的网页找不到), not a list/detail page | Gone |
/// | – | 2xx              | anything else                                      | Ok: go on parsing |
/// </code>
/// Block codes win over the status because proxies relay them with their own status (a -460 came back as HTTP 400).
/// "Gone" is never retried, so it is only concluded from a 2xx body or a plain 404, never from a body under another error status.
/// </remarks>
public static class ResponseClassifier
{
    private const int MaxQuoted = 80;

    /// <summary>
    /// Sorts a response into Blocked / Gone / Malformed by the rules above; <see cref="PageOutcome.Ok"/>
    /// means none matched and the caller should go on parsing (it does not mean the body is usable).
    /// </summary>
    public static (PageOutcome Outcome, string? Reason) Classify(int httpStatus, string? body) => Classify(httpStatus, body, null);

    /// <summary>As <see cref="Classify(int, string?)"/>, with the body already parsed as JSON by the caller (not parsed twice).</summary>
    internal static (PageOutcome Outcome, string? Reason) Classify(int httpStatus, string? body, JsonDocument? parsed)
    {
        var text = body?.TrimStart('\uFEFF', ' ', '\t', '\r', '\n') ?? "";
        // JSON is judged by its code alone: its strings are user text (a description may quote any error phrase).
        var isJson = text.StartsWith('{');
        var json = !isJson ? null : parsed is not null ? ReadJsonCode(parsed.RootElement) : ReadJsonCode(text);
        var success = httpStatus is >= 200 and < 300;

        if (json is { Outcome: PageOutcome.Blocked } block)
        {
            return (PageOutcome.Blocked, success ? block.Reason : $"{block.Reason} (HTTP {httpStatus})");
        }

        if (httpStatus is 429 or 503)
        {
            return (PageOutcome.Blocked, $"HTTP {httpStatus} from site");
        }

        if (!isJson && IsOverloadPage(text))
        {
            return (PageOutcome.Blocked, success ? OverloadReason : $"{OverloadReason} (HTTP {httpStatus})");
        }

        if (!success)
        {
            // 5xx faults are transient but not pushback: Malformed, which the caller retries a few times.
            return (httpStatus == 404 ? PageOutcome.Gone : PageOutcome.Malformed, $"HTTP {httpStatus} from site");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (PageOutcome.Blocked, "empty body");
        }

        if (json is { } known)
        {
            return (known.Outcome, known.Reason);
        }

        if (!isJson && !IsContentPage(text) && text.Contains("你要查找的网页找不到", StringComparison.Ordinal))
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

    private const string OverloadReason = "site overload page (服务器开小差)";

    // A real list or detail page can quote the error phrases in user text (a title, a description);
    // its own structure cannot be faked by user text, so such a page is never taken for an error page.
    private static bool IsContentPage(string html) =>
        html.Contains("id=\"m-pl-container\"", StringComparison.Ordinal)
        || html.Contains("id=\"content-operation\"", StringComparison.Ordinal);

    private static bool IsOverloadPage(string text) =>
        text.Contains("服务器开小差", StringComparison.Ordinal) && !IsContentPage(text);

    /// <summary>The outcome a JSON body's <c>code</c> calls for; null when the body is not such JSON or the code is not a known error.</summary>
    private static (PageOutcome Outcome, string Reason)? ReadJsonCode(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // Not ours to judge: the JSON parser reports it as Malformed, an HTML parser finds no page in it.
            // (ArgumentException: text that is not valid UTF-16, such as a lone surrogate.)
            return null;
        }

        using (doc)
        {
            return ReadJsonCode(doc.RootElement);
        }
    }

    private static (PageOutcome Outcome, string Reason)? ReadJsonCode(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("code", out var codeElement)
            || ReadCode(codeElement) is not { } code)
        {
            return null;
        }

        PageOutcome? outcome = code switch
        {
            -460 or -462 or 405 or 406 => PageOutcome.Blocked,
            301 or 20001 or 401 or 404 => PageOutcome.Gone,
            _ => null,
        };
        if (outcome is not { } known)
        {
            return null;
        }

        var message = Quote(ReadMessage(root));
        return (known, message.Length == 0 ? $"code {code}" : $"code {code}: {message}");
    }

    /// <summary>A JSON <c>code</c> as a number, whether the site sent it as one or as text; null otherwise.</summary>
    internal static long? ReadCode(JsonElement code) => code.ValueKind switch
    {
        JsonValueKind.Number when code.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(JsonAnswer.Text(code), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    private static string? ReadMessage(JsonElement root)
    {
        foreach (var name in (ReadOnlySpan<string>)["msg", "message", "blockText"])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                && JsonAnswer.Text(value) is { } text && !string.IsNullOrWhiteSpace(text))
            {
                return text;
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
