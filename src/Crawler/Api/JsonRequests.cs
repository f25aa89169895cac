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

    /// <summary>Whether a request with this Content-Type header may go on (application/json, any parameters).</summary>
    public static bool Accepts(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);
}
