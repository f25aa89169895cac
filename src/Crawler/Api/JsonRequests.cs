using System.Net.Http.Headers;

namespace FunctionsCrawler.Api;

/// <summary>
/// The rule both hosts apply to POST routes: the request must say its body is JSON. A web page can send a
/// cross-site form post or a no-cors fetch without asking first only as a form or plain text; a JSON request
/// needs a CORS preflight, which these hosts never grant, so no page in a browser can start or requeue a crawl.
/// </summary>
public static class JsonRequests
{
    public const int RejectedStatus = 415; // Unsupported Media Type

    public const string RejectedMessage =
        "POST routes take JSON only: send Content-Type: application/json (with the body {} when there is nothing to say).";

    /// <summary>The largest body a POST route reads: a start names at most 100 categories of 40 characters (about 12 KiB).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public const int TooLargeStatus = 413; // Content Too Large

    public static readonly string TooLargeMessage = $"The body is over {MaxBodyBytes / 1024} KiB: a POST route takes a small JSON object.";

    /// <summary>The whole body, or null as soon as it is over <see cref="MaxBodyBytes"/> (whatever its length header said).</summary>
    public static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken ct)
    {
        using var read = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await body.ReadAsync(buffer, ct)) > 0)
        {
            if (read.Length + n > MaxBodyBytes) return null;
            read.Write(buffer, 0, n);
        }
        return read.ToArray();
    }

    /// <summary>Whether a request with this Content-Type header may go on (application/json, any parameters).</summary>
    public static bool Accepts(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);
}
