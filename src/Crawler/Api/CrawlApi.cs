using System.Text.Json;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Dashboard;
using FunctionsCrawler.Export;
using FunctionsCrawler.Logging;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Api;

/// <summary>
/// The optional body of <c>POST /api/crawls</c>; what it leaves out comes from the settings
/// (<c>Crawler__Categories</c>, <c>Crawler__MaxPages</c>). <c>new</c> cancels an unfinished crawl in the way instead of a 409.
/// </summary>
public sealed record StartCrawlRequest(List<string>? Categories, int? MaxPages, bool? New);

/// <summary>What a route handler needs of a request's body, whichever host received it.</summary>
public sealed record ApiRequest(string? ContentType, bool HasBody, Stream Body, long? Length = null)
{
    public static ApiRequest From(HttpRequest request) =>
        new(request.ContentType, request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0, request.Body, request.ContentLength);
}

/// <summary>Every error text of the routes, in one place.</summary>
public static class ApiErrors
{
    public const string NoCrawlYet = "No crawl has been started yet: POST /api/crawls or run ./run.sh.";

    public static string NoCrawl(string crawlId) => $"No crawl '{crawlId}'.";

    public static string BadJson(string reason) => $"Body is not valid JSON: {reason}";

    public static string Unavailable(string reason) => $"The crawl's status cannot be read right now; try again shortly ({reason}).";

    public static string StorageUnavailable(string reason) => $"Storage cannot be reached right now; try again shortly ({reason}).";

    public static string NotAPlaylistId(string text) => $"playlistId must be a whole number above 0, got '{(text.Length <= 40 ? text : text[..40] + "…")}'.";
}

/// <summary>
/// The HTTP routes of both hosts, one method each, answering an <see cref="ApiResult"/> that each host maps in one line
/// (<see cref="ApiResult.ToResult"/>). A host binds the route and its parameters; everything else is here: the request
/// type, the status codes and the error texts.
/// </summary>
public sealed class CrawlApi(CrawlQueries queries, CrawlTable crawls, StartCrawl start, CrawlExport export, IOptions<CrawlerOptions> crawler, ILogger<CrawlApi> log)
{
    /// <summary><c>GET /api/status</c>: the latest crawl's status; 404 before the first crawl.</summary>
    public Task<ApiResult> StatusAsync(CancellationToken ct) => GuardAsync(async () =>
        await queries.FindStatusAsync(null, ct, cached: true) is { } status ? ApiResult.Ok(status) : ApiResult.Fail(StatusCodes.Status404NotFound, ApiErrors.NoCrawlYet), ct);

    /// <summary><c>GET /api/crawls[?top=&amp;continuation=]</c>: crawls newest first, a page at a time; 400 on a bad value.</summary>
    public Task<ApiResult> ListCrawlsAsync(string? top, string? continuation, CancellationToken ct) => GuardAsync(async () =>
        ApiResult.Ok(await queries.ListAsync(top, continuation, ct)), ct);

    /// <summary><c>GET /api/crawls/{crawlId}</c>: one crawl; 404 when there is none by that id.</summary>
    public Task<ApiResult> CrawlAsync(string crawlId, CancellationToken ct) => GuardAsync(async () =>
        await queries.FindStatusAsync(crawlId, ct, cached: true) is { } status ? ApiResult.Ok(status) : ApiResult.Fail(StatusCodes.Status404NotFound, ApiErrors.NoCrawl(crawlId)), ct);

    /// <summary>
    /// <c>POST /api/crawls</c>: starts a crawl → 202 <c>{crawlId, statusUri}</c>; 415 unless the request says it is JSON,
    /// 400 on a body that is not JSON or a bad value,
    /// 409 <c>{error, crawlId}</c> naming the unfinished crawl that covers one of the categories.
    /// </summary>
    public Task<ApiResult> StartCrawlAsync(ApiRequest request, CancellationToken ct) => GuardAsync(async () =>
    {
        if ((NotJson(request) ?? TooLarge(request)) is { } refused) return refused;
        StartCrawlRequest? body = null;
        if (request.HasBody)
        {
            // Read whole, up to the limit: a body sent without a length is stopped there too.
            if (await JsonRequests.ReadBoundedAsync(request.Body, ct) is not { } bytes) return TooLargeAnswer;
            try { body = JsonSerializer.Deserialize<StartCrawlRequest>(bytes, StatusJson.Options); }
            catch (JsonException e) { return ApiResult.Fail(StatusCodes.Status400BadRequest, ApiErrors.BadJson(e.Message)); }
        }
        if (body?.Categories is { } asked) CategoryNames.Check(asked, CategoryNames.MaxPerRequest, "categories");
        try
        {
            var crawl = await start.RunAsync(body?.Categories ?? [.. crawler.Value.CategoryList], body?.MaxPages ?? crawler.Value.MaxPages, "http",
                body?.New == true ? OverlapPolicy.CancelUnfinished : OverlapPolicy.Refuse, ct);
            return ApiResult.Accepted(new { crawl.CrawlId, statusUri = $"/api/crawls/{crawl.CrawlId}" });
        }
        catch (CrawlOverlapException e)
        {
            return ApiResult.Fail(StatusCodes.Status409Conflict, e.Message, e.CrawlId);
        }
    }, ct);

    /// <summary><c>POST /api/crawls/{crawlId}/requeue-failed</c>: the crawl's poison messages back in their queues → 202 <c>{crawlId, requeued}</c>; 415 unless JSON.</summary>
    public Task<ApiResult> RequeueFailedAsync(string crawlId, ApiRequest request, CancellationToken ct) => GuardAsync(async () =>
        NotJson(request) ?? TooLarge(request) ?? (await crawls.GetAsync(crawlId, ct) is null
            ? ApiResult.Fail(StatusCodes.Status404NotFound, ApiErrors.NoCrawl(crawlId))
            : ApiResult.Accepted(new { crawlId, requeued = await queries.RequeueFailedAsync(crawlId, ct) })), ct);

    /// <summary>413 when the request says its body is over <see cref="JsonRequests.MaxBodyBytes"/>, before it is read.</summary>
    private static ApiResult? TooLarge(ApiRequest request) => request.Length > JsonRequests.MaxBodyBytes ? TooLargeAnswer : null;

    private static ApiResult TooLargeAnswer => ApiResult.Fail(JsonRequests.TooLargeStatus, JsonRequests.TooLargeMessage);

    /// <summary>415 unless the request says its body is JSON, before any work: what keeps a web page from posting (see <see cref="JsonRequests"/>).</summary>
    private static ApiResult? NotJson(ApiRequest request) =>
        JsonRequests.Accepts(request.ContentType) ? null : ApiResult.Fail(JsonRequests.RejectedStatus, JsonRequests.RejectedMessage);

    /// <summary>
    /// <c>GET /api/playlists.csv[?category=&amp;crawlId=]</c>: the latest crawl's (or that crawl's) playlists as CSV, streamed
    /// from the table; <c>category</c> keeps one of its categories (an empty value means all of them).
    /// </summary>
    public Task<ApiResult> PlaylistsCsvAsync(string? category, string? crawlId, CancellationToken ct) => GuardAsync(async () =>
    {
        var crawl = string.IsNullOrEmpty(crawlId) ? await crawls.LatestAsync(ct) : await crawls.GetAsync(crawlId, ct);
        if (crawl is null)
            return ApiResult.Fail(StatusCodes.Status404NotFound, string.IsNullOrEmpty(crawlId) ? ApiErrors.NoCrawlYet : ApiErrors.NoCrawl(crawlId));
        IReadOnlyList<string> categories = string.IsNullOrEmpty(category) ? crawl.Categories : [category];
        return ApiResult.Stream("text/csv; charset=utf-8", (body, token) => export.WriteCsvAsync(crawl, categories, body, token),
            new Dictionary<string, string> { ["Content-Disposition"] = "attachment; filename=\"playlists.csv\"" });
    }, ct);

    /// <summary><c>GET /api/dashboard</c>: the live HTML dashboard; it polls the status routes beside it.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "A route handler, called on the injected CrawlApi like the others.")]
    public ApiResult Dashboard() => ApiResult.Content(DashboardPage.Html, "text/html; charset=utf-8");

    /// <summary>The error contract every route keeps (<see cref="RouteGuard"/>).</summary>
    private Task<ApiResult> GuardAsync(Func<Task<ApiResult>> handle, CancellationToken ct) => RouteGuard.RunAsync(handle, log, ct);
}
