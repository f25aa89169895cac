using FunctionsCrawler.Api;
using FunctionsCrawler.Functions.Status;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsCrawler.Functions.Api;

/// <summary>The routes that change state (Function auth level): <c>POST /api/crawls</c>, <c>POST /api/crawls/{crawlId}/requeue-failed</c>.</summary>
public sealed class CrawlCommandRoutes(CrawlApi api, DurableClients clients)
{
    [Function("StartCrawlOnRequest")]
    public async Task<IResult> StartCrawlOnRequest([HttpTrigger(AuthorizationLevel.Function, "post", Route = "crawls")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        clients.Keep(durable);
        return (await api.StartCrawlAsync(ApiRequest.From(request), ct)).ToResult();
    }

    [Function("RequeueFailed")]
    public async Task<IResult> RequeueFailed(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "crawls/{crawlId}/requeue-failed")] HttpRequest request,
        string crawlId, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        clients.Keep(durable);
        return (await api.RequeueFailedAsync(crawlId, ApiRequest.From(request), ct)).ToResult();
    }
}
