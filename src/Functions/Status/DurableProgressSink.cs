using FunctionsCrawler.Progress;
using Microsoft.DurableTask.Entities;

namespace FunctionsCrawler.Functions.Status;

/// <summary>
/// Signals and reads the crawl's status entity through the kept Durable client (<see cref="DurableClients"/>). It is the
/// entity sink under the core's progress store (<see cref="BatchingProgressSink"/>), which batches, stamps and retries.
/// </summary>
public sealed class DurableProgressSink(DurableClients clients) : IBatchProgressSink
{
    public Task SignalAsync(string crawlId, ProgressEvent progressEvent, CancellationToken ct = default) =>
        clients.Client.Entities.SignalEntityAsync(Id(crawlId), CrawlStatusEntity.ApplyOperation, progressEvent, cancellation: ct);

    public Task SignalAllAsync(string crawlId, IReadOnlyList<ProgressEvent> progressEvents, CancellationToken ct = default) =>
        clients.Client.Entities.SignalEntityAsync(Id(crawlId), CrawlStatusEntity.ApplyAllOperation, progressEvents.ToList(), cancellation: ct);

    public async Task<CrawlProgress?> ReadAsync(string crawlId, CancellationToken ct = default) =>
        (await clients.Client.Entities.GetEntityAsync<CrawlProgress>(Id(crawlId), cancellation: ct))?.State;

    private static EntityInstanceId Id(string crawlId) => new(CrawlStatusEntity.Name, crawlId);
}
