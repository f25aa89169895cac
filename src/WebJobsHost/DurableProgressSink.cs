using FunctionsCrawler.Progress;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Extensions.DurableTask.ContextImplementations;
using Microsoft.Azure.WebJobs.Extensions.DurableTask.Options;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>Signals and reads the crawl's Durable status entity through the WebJobs Durable Task extension.</summary>
public sealed class DurableProgressSink(IDurableClientFactory factory, IOptions<DurableTaskOptions> durable) : IBatchProgressSink
{
    private readonly Lazy<IDurableEntityClient> _client = new(() => factory.CreateClient(new DurableClientOptions
    {
        ConnectionName = Storage.StorageClients.ConnectionName,
        TaskHub = durable.Value.HubName,
        IsExternalClient = true,
    }));

    public Task SignalAsync(string crawlId, ProgressEvent progressEvent, CancellationToken ct = default) =>
        _client.Value.SignalEntityAsync(Id(crawlId), CrawlStatusEntity.Apply, progressEvent);

    public Task SignalAllAsync(string crawlId, IReadOnlyList<ProgressEvent> progressEvents, CancellationToken ct = default) =>
        _client.Value.SignalEntityAsync(Id(crawlId), CrawlStatusEntity.ApplyAll, progressEvents);

    public async Task<CrawlProgress?> ReadAsync(string crawlId, CancellationToken ct = default)
    {
        // A large state lives in a blob the entity replaces on each batch: a read that lands in between
        // finds the old blob gone, and the next read gets the new one.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var state = await _client.Value.ReadEntityStateAsync<CrawlProgress>(Id(crawlId));
                return state.EntityExists ? state.EntityState : null;
            }
            catch (Exception) when (attempt < 3 && !ct.IsCancellationRequested)
            {
                await Task.Delay(100 * attempt, ct);
            }
        }
    }

    private static EntityId Id(string crawlId) => new(CrawlStatusEntity.Name, crawlId);
}
