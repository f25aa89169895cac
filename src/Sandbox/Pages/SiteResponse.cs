using System.Text;
using Microsoft.AspNetCore.Http;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>Writes a whole response at once, always with Content-Length (crawlers check it against the bytes read).</summary>
internal static class SiteResponse
{
    public const string HtmlType = "text/html;charset=utf-8";
    public const string JsonType = "application/json;charset=UTF-8";
    public const string JpegType = "image/jpeg";
    private const string OutcomeKey = "sandbox.outcome";

    public static Task Html(HttpContext context, string html, int status = 200) =>
        Bytes(context, status, HtmlType, Encoding.UTF8.GetBytes(html));

    public static async Task Bytes(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Marks the request as answered with "not found" for the request log.</summary>
    public static void MarkNotFound(HttpContext context) => context.Items[OutcomeKey] = "notFound";

    public static string Outcome(HttpContext context) =>
        context.Items.TryGetValue(OutcomeKey, out var outcome) && outcome is string text ? text
        : context.Response.StatusCode >= 400 ? "notFound"
        : "ok";
}
