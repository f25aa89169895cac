using FunctionsCrawler.Functions.Status;
using FunctionsCrawler.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsCrawler.Functions.Api;

/// <summary>The read-only status routes: <c>GET /api/status</c>, <c>GET /api/crawls[?top=&amp;continuation=]</c>, <c>GET /api/crawls/{crawlId}</c>.</summary>
public sealed class CrawlStatusRoutes(CrawlQueries queries)
{
    [Function("GetStatus")]
    public async Task<IResult> GetStatus([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        using var _ = DurableProgressSink.Use(durable);
        return await queries.FindStatusAsync(null, ct) is { } status ? ApiResults.Ok(status) : ApiResults.NoCrawl();
    }

    [Function("ListCrawls")]
    public async Task<IResult> ListCrawls([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "crawls")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        using var _ = DurableProgressSink.Use(durable);
        try { return ApiResults.Ok(await queries.ListAsync(request.Query["top"], request.Query["continuation"], ct)); }
        catch (CrawlQueryException e) { return ApiResults.Error(StatusCodes.Status400BadRequest, e.Message); }
    }

    [Function("GetCrawl")]
    public async Task<IResult> GetCrawl([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "crawls/{crawlId}")] HttpRequest request,
        string crawlId, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        using var _ = DurableProgressSink.Use(durable);
        return await queries.FindStatusAsync(crawlId, ct) is { } status ? ApiResults.Ok(status) : ApiResults.NoCrawl(crawlId);
    }
}
