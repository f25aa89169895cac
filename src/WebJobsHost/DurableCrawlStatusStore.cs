using FunctionsCrawler.Progress;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>Purges a crawl's status entity: an entity is an eternal orchestration named <c>@crawlstatus@&lt;crawlId&gt;</c>.</summary>
public sealed class DurableCrawlStatusStore(TaskHubClient hub) : ICrawlStatusStore
{
    public async Task<bool> DeleteAsync(string crawlId, CancellationToken ct = default) =>
        (await hub.Client.PurgeInstanceHistoryAsync(InstanceId(crawlId))).InstancesDeleted > 0;

    public static string InstanceId(string crawlId) => $"@{CrawlStatusEntity.Name.ToLowerInvariant()}@{crawlId}";
}
