using FunctionsCrawler.Progress;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Extensions.DurableTask.ContextImplementations;
using Microsoft.Azure.WebJobs.Extensions.DurableTask.Options;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>Purges a crawl's status entity: an entity is an eternal orchestration named <c>@crawlstatus@&lt;crawlId&gt;</c>.</summary>
public sealed class DurableCrawlStatusStore(IDurableClientFactory factory, IOptions<DurableTaskOptions> durable) : ICrawlStatusStore
{
    private readonly Lazy<IDurableOrchestrationClient> _client = new(() => factory.CreateClient(new DurableClientOptions
    {
        ConnectionName = Storage.StorageClients.ConnectionName,
        TaskHub = durable.Value.HubName,
        IsExternalClient = true,
    }));

    public async Task<bool> DeleteAsync(string crawlId, CancellationToken ct = default) =>
        (await _client.Value.PurgeInstanceHistoryAsync(InstanceId(crawlId))).InstancesDeleted > 0;

    public static string InstanceId(string crawlId) => $"@{CrawlStatusEntity.Name.ToLowerInvariant()}@{crawlId}";
}
