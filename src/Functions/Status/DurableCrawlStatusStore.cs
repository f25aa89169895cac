using FunctionsCrawler.Progress;
using Microsoft.DurableTask.Entities;

namespace FunctionsCrawler.Functions.Status;

/// <summary>Purges a crawl's status entity (an eternal orchestration named <c>@crawlstatus@&lt;crawlId&gt;</c>) through the kept Durable client.</summary>
public sealed class DurableCrawlStatusStore(DurableClients clients) : ICrawlStatusStore
{
    public async Task<bool> DeleteAsync(string crawlId, CancellationToken ct = default) =>
        (await clients.Client.PurgeInstanceAsync(InstanceId(crawlId), cancellation: ct)).PurgedInstanceCount > 0;

    public static string InstanceId(string crawlId) => new EntityInstanceId(CrawlStatusEntity.Name, crawlId).ToString();
}
