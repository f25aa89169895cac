using System.Text.Json;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Functions.Status;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Functions.Api;

/// <summary>The routes that change state (Function auth level): <c>POST /api/crawls</c>, <c>POST /api/crawls/{crawlId}/requeue-failed</c>.</summary>
public sealed class CrawlCommandRoutes(StartCrawl startCrawl, CrawlQueries queries, CrawlTable crawls, IOptions<CrawlerOptions> crawler)
{
    /// <summary>
    /// The optional body of <c>POST /api/crawls</c>; what it leaves out comes from the settings.
    /// <c>new</c> cancels an unfinished crawl in the way instead of a 409.
    /// </summary>
    public sealed record StartCrawlRequest(List<string>? Categories, int? MaxPages, bool? New);

    [Function("StartCrawlOnRequest")]
    public async Task<IResult> StartCrawlOnRequest([HttpTrigger(AuthorizationLevel.Function, "post", Route = "crawls")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        if (ApiResults.UnlessJson(request) is { } notJson) return notJson;
        StartCrawlRequest? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try { body = await request.ReadFromJsonAsync<StartCrawlRequest>(ApiResults.Json, ct); }
            catch (JsonException e) { return ApiResults.Error(StatusCodes.Status400BadRequest, $"Body is not valid JSON: {e.Message}"); }
        }
        try
        {
            using var _ = DurableProgressSink.Use(durable);
            var crawl = await startCrawl.RunAsync(body?.Categories ?? [.. crawler.Value.CategoryList], body?.MaxPages ?? crawler.Value.MaxPages, "http",
                body?.New == true ? OverlapPolicy.CancelUnfinished : OverlapPolicy.Refuse, ct);
            return ApiResults.Accepted(new { crawl.CrawlId, statusUri = $"/api/crawls/{crawl.CrawlId}" });
        }
        catch (CrawlOverlapException e)
        {
            return ApiResults.Conflict(e.Message, e.CrawlId);
        }
        catch (CrawlerConfigurationException e)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    [Function("RequeueFailed")]
    public async Task<IResult> RequeueFailed(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "crawls/{crawlId}/requeue-failed")] HttpRequest request,
        string crawlId, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        if (ApiResults.UnlessJson(request) is { } notJson) return notJson;
        if (await crawls.GetAsync(crawlId, ct) is null) return ApiResults.NoCrawl(crawlId);
        using var _ = DurableProgressSink.Use(durable);
        return ApiResults.Accepted(new { crawlId, requeued = await queries.RequeueFailedAsync(crawlId, ct) });
    }
}
