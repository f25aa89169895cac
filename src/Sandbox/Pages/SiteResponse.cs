using Microsoft.AspNetCore.Http;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>Writes a whole response at once, always with Content-Length (crawlers check it against the bytes read).</summary>
internal static class SiteResponse
{
    public const string JsonType = "application/json;charset=UTF-8";
    public const string JpegType = "image/jpeg";
    private const string OutcomeKey = "sandbox.outcome";

    public static Task Html(HttpContext context, PageCharset charset, string html, int status = 200) =>
        Bytes(context, status, charset.HtmlType, charset.Encode(html));

    public static async Task Bytes(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Marks the request as answered with "not found" for the request log.</summary>
    public static void MarkNotFound(HttpContext context) => MarkOutcome(context, "notFound");

    /// <summary>Sets the outcome the request log records, when the status alone does not tell it.</summary>
    public static void MarkOutcome(HttpContext context, string outcome) => context.Items[OutcomeKey] = outcome;

    public static string Outcome(HttpContext context) =>
        context.Items.TryGetValue(OutcomeKey, out var outcome) && outcome is string text ? text
        : context.Response.StatusCode >= 400 ? "notFound"
        : "ok";
}
