using FunctionsCrawler.Progress;
using Microsoft.DurableTask.Client;

namespace FunctionsCrawler.Functions.Status;

/// <summary>
/// Purges a crawl's status entity (an eternal orchestration named <c>@crawlstatus@&lt;crawlId&gt;</c>) through the
/// Durable client of the running invocation, bound as for <see cref="DurableProgressSink"/> and wrapped in <see cref="Use"/>.
/// </summary>
public sealed class DurableCrawlStatusStore : ICrawlStatusStore
{
    private static readonly AsyncLocal<DurableTaskClient?> Current = new();

    /// <summary>Makes <paramref name="client"/> the store's client for the calls made within this async flow, until disposed.</summary>
    public static IDisposable Use(DurableTaskClient client)
    {
        var previous = Current.Value;
        Current.Value = client;
        return new Restore(previous);
    }

    public async Task<bool> DeleteAsync(string crawlId, CancellationToken ct = default) =>
        (await Client.PurgeInstanceAsync(InstanceId(crawlId), ct)).PurgedInstanceCount > 0;

    public static string InstanceId(string crawlId) => new Microsoft.DurableTask.Entities.EntityInstanceId(CrawlStatusEntity.Name, crawlId).ToString();

    private static DurableTaskClient Client => Current.Value ?? throw new InvalidOperationException(
        "No Durable client in this invocation: the function must bind [DurableClient] DurableTaskClient and call the step inside DurableCrawlStatusStore.Use(client).");

    private sealed class Restore(DurableTaskClient? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
