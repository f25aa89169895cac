using FunctionsCrawler.Progress;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;

namespace FunctionsCrawler.Functions.Status;

/// <summary>
/// Signals and reads the crawl's status entity through the Durable client of the running invocation.
/// The isolated worker hands out a <see cref="DurableTaskClient"/> only through a <c>[DurableClient]</c>
/// binding (the host sends its gRPC address with each invocation), so each function that reaches the
/// sink binds one and wraps its call in <see cref="Use"/>; the pipeline steps stay singletons.
/// </summary>
public sealed class DurableProgressSink : ICrawlProgressSink
{
    private static readonly AsyncLocal<DurableTaskClient?> Current = new();

    /// <summary>Makes <paramref name="client"/> the sink's client for the calls made within this async flow, until disposed.</summary>
    public static IDisposable Use(DurableTaskClient client)
    {
        var previous = Current.Value;
        Current.Value = client;
        return new Restore(previous);
    }

    public Task SignalAsync(string crawlId, ProgressEvent progressEvent, CancellationToken ct = default) =>
        Client.Entities.SignalEntityAsync(Id(crawlId), CrawlStatusEntity.ApplyOperation, progressEvent, cancellation: ct);

    public async Task<CrawlProgress?> ReadAsync(string crawlId, CancellationToken ct = default) =>
        (await Client.Entities.GetEntityAsync<CrawlProgress>(Id(crawlId), ct))?.State;

    private static DurableTaskClient Client => Current.Value ?? throw new InvalidOperationException(
        "No Durable client in this invocation: the function must bind [DurableClient] DurableTaskClient and call the step inside DurableProgressSink.Use(client).");

    private static EntityInstanceId Id(string crawlId) => new(CrawlStatusEntity.Name, crawlId);

    private sealed class Restore(DurableTaskClient? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
