using FunctionsCrawler.Progress;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Extensions.DurableTask.ContextImplementations;
using Microsoft.Azure.WebJobs.Extensions.DurableTask.Options;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>
/// Signals and reads the crawl's Durable status entity through the WebJobs Durable Task extension: the entity sink under
/// the core's progress store (<see cref="BatchingProgressSink"/>), which batches, stamps and retries.
/// </summary>
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
        var state = await _client.Value.ReadEntityStateAsync<CrawlProgress>(Id(crawlId));
        return state.EntityExists ? state.EntityState : null;
    }

    private static EntityId Id(string crawlId) => new(CrawlStatusEntity.Name, crawlId);
}
