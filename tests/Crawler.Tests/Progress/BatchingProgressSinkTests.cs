using System.Collections.Concurrent;
using FunctionsCrawler.Progress;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace FunctionsCrawler.Tests.Progress;

public sealed class BatchingProgressSinkTests
{
    private sealed class RecordingSink : IBatchProgressSink
    {
        public readonly ConcurrentQueue<(string CrawlId, int Count)> Signals = new();
        public readonly ConcurrentQueue<ProgressEvent> Delivered = new();
        public int FailuresLeft;

        public Task SignalAllAsync(string crawlId, IReadOnlyList<ProgressEvent> progressEvents, CancellationToken ct = default)
        {
            if (Interlocked.Decrement(ref FailuresLeft) >= 0) throw new IOException("storage hiccup");
            Signals.Enqueue((crawlId, progressEvents.Count));
            foreach (var e in progressEvents) Delivered.Enqueue(e);
            return Task.CompletedTask;
        }

        public Task SignalAsync(string crawlId, ProgressEvent progressEvent, CancellationToken ct = default) => SignalAllAsync(crawlId, [progressEvent], ct);
        public Task<CrawlProgress?> ReadAsync(string crawlId, CancellationToken ct = default) => Task.FromResult<CrawlProgress?>(null);
    }

    private static ProgressEvent Done(long id) => ProgressEvent.PlaylistDone("说唱", id, 100, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Many_events_reach_the_entity_in_few_signals_and_in_order()
    {
        var inner = new RecordingSink();
        await using (var sink = new BatchingProgressSink(inner, TimeSpan.FromMilliseconds(50), NullLogger<BatchingProgressSink>.Instance))
        {
            for (var i = 0; i < 200; i++) await sink.SignalAsync("c1", Done(i));
        } // disposing flushes what is left
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long?)i), inner.Delivered.Select(e => e.PlaylistId));
        Assert.True(inner.Signals.Count <= 5, $"{inner.Signals.Count} signals for 200 events");
    }

    [Fact]
    public async Task A_failed_signal_is_retried_without_losing_or_reordering_events()
    {
        var inner = new RecordingSink { FailuresLeft = 1 };
        var sink = new BatchingProgressSink(inner, TimeSpan.FromHours(1), NullLogger<BatchingProgressSink>.Instance);
        for (var i = 0; i < 3; i++) await sink.SignalAsync("c1", Done(i));
        await sink.FlushAsync(CancellationToken.None); // fails: kept
        await sink.SignalAsync("c1", Done(3));
        await sink.FlushAsync(CancellationToken.None);
        Assert.Equal([0L, 1, 2, 3], inner.Delivered.Select(e => e.PlaylistId!.Value));
        await sink.DisposeAsync();
    }
}
