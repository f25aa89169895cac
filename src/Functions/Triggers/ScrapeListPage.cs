using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Functions.Status;
using FunctionsCrawler.Hosting;
using FunctionsCrawler.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsCrawler.Functions.Triggers;

/// <summary>The list-page consumer on queue <c>crawl-pages</c>.</summary>
public sealed class ScrapeListPage(Pipeline.ScrapeListPage step, HostJson hostJson, DurableClients clients)
{
    [Function(nameof(ScrapeListPage))]
    public async Task Run([QueueTrigger(CrawlQueues.Pages, Connection = StorageClients.ConnectionName)] string message, long dequeueCount,
        [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        clients.Keep(durable);
        await step.RunAsync(CrawlQueues.Read<PageWork>(message), Delivery.Of(hostJson, dequeueCount), ct);
    }
}
