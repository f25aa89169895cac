using FunctionsCrawler.Progress;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>
/// Signals and reads the crawl's Durable status entity through the WebJobs Durable Task extension: the entity sink under
/// the core's progress store (<see cref="BatchingProgressSink"/>), which batches, stamps and retries.
/// </summary>
public sealed class DurableProgressSink(TaskHubClient hub) : IBatchProgressSink
{

    public Task SignalAsync(string crawlId, ProgressEvent progressEvent, CancellationToken ct = default) =>
        hub.Client.SignalEntityAsync(Id(crawlId), CrawlStatusEntity.Apply, progressEvent);

    public Task SignalAllAsync(string crawlId, IReadOnlyList<ProgressEvent> progressEvents, CancellationToken ct = default) =>
        hub.Client.SignalEntityAsync(Id(crawlId), CrawlStatusEntity.ApplyAll, progressEvents);

    public async Task<CrawlProgress?> ReadAsync(string crawlId, CancellationToken ct = default)
    {
        var state = await hub.Client.ReadEntityStateAsync<CrawlProgress>(Id(crawlId));
        return state.EntityExists ? state.EntityState : null;
    }

    private static EntityId Id(string crawlId) => new(CrawlStatusEntity.Name, crawlId);
}
