using FunctionsCrawler.Api;
using FunctionsCrawler.Functions.Status;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsCrawler.Functions.Api;

/// <summary>The read-only status routes: <c>GET /api/status</c>, <c>GET /api/crawls[?top=&amp;continuation=]</c>, <c>GET /api/crawls/{crawlId}</c>.</summary>
public sealed class CrawlStatusRoutes(CrawlApi api, DurableClients clients)
{
    [Function("GetStatus")]
    public async Task<IResult> GetStatus([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        clients.Keep(durable);
        return (await api.StatusAsync(ct)).ToResult();
    }

    [Function("ListCrawls")]
    public async Task<IResult> ListCrawls([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "crawls")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        clients.Keep(durable);
        return (await api.ListCrawlsAsync(request.Query["top"], request.Query["continuation"], ct)).ToResult();
    }

    [Function("GetCrawl")]
    public async Task<IResult> GetCrawl([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "crawls/{crawlId}")] HttpRequest request,
        string crawlId, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        clients.Keep(durable);
        return (await api.CrawlAsync(crawlId, ct)).ToResult();
    }
}
