using System.Text.Json;
using FunctionsCrawler.Api;
using Microsoft.AspNetCore.Http;

namespace FunctionsCrawler.Functions.Api;

/// <summary>The JSON answers shared by the HTTP functions (the same shapes as the WebJobs host's routes).</summary>
public static class ApiResults
{
    public static readonly JsonSerializerOptions Json = Progress.StatusJson.Options;

    public static IResult Ok(object value) => Results.Json(value, Json);

    public static IResult Accepted(object value) => Results.Json(value, Json, statusCode: StatusCodes.Status202Accepted);

    public static IResult Error(int statusCode, string message) => Results.Json(new { error = message }, Json, statusCode: statusCode);

    /// <summary>409: an unfinished crawl (<paramref name="crawlId"/>) covers a category asked for.</summary>
    public static IResult Conflict(string message, string crawlId) =>
        Results.Json(new { error = message, crawlId }, Json, statusCode: StatusCodes.Status409Conflict);

    /// <summary>415 unless the request says its body is JSON: what keeps a web page from posting to the app (see <see cref="JsonRequests"/>).</summary>
    public static IResult? UnlessJson(HttpRequest request) =>
        JsonRequests.Accepts(request.ContentType) ? null
            : Results.Json(new { error = JsonRequests.RejectedMessage }, statusCode: JsonRequests.RejectedStatus); // one line

    public static IResult NoCrawl() => Error(StatusCodes.Status404NotFound, "No crawl has been started yet: POST /api/crawls or run ./run.sh.");

    public static IResult NoCrawl(string crawlId) => Error(StatusCodes.Status404NotFound, $"No crawl '{crawlId}'.");
}
