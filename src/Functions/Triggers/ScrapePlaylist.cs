using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Functions.Status;
using FunctionsCrawler.Hosting;
using FunctionsCrawler.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsCrawler.Functions.Triggers;

/// <summary>The playlist consumer on queue <c>crawl-playlists</c>.</summary>
public sealed class ScrapePlaylist(Pipeline.ScrapePlaylist step, HostJson hostJson, DurableClients clients)
{
    [Function(nameof(ScrapePlaylist))]
    public async Task Run([QueueTrigger(CrawlQueues.Playlists, Connection = StorageClients.ConnectionName)] string message, long dequeueCount,
        [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        clients.Keep(durable);
        await step.RunAsync(CrawlQueues.Read<PlaylistWork>(message), Delivery.Of(hostJson, dequeueCount), ct);
    }
}
