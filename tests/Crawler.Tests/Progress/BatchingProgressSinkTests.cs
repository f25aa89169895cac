using System.Collections.Concurrent;
using FunctionsCrawler.Progress;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FunctionsCrawler.Tests.Progress;

public sealed class BatchingProgressSinkTests
{
    private sealed class RecordingSink : IBatchProgressSink
    {
        public readonly ConcurrentQueue<(string CrawlId, int Count)> Signals = new();
        public readonly ConcurrentQueue<ProgressEvent> Delivered = new();
        public int FailuresLeft;
        public int ReadFailuresLeft;
        public int Reads;

        public Task SignalAllAsync(string crawlId, IReadOnlyList<ProgressEvent> progressEvents, CancellationToken ct = default)
        {
            if (Interlocked.Decrement(ref FailuresLeft) >= 0) throw new IOException("storage hiccup");
            Signals.Enqueue((crawlId, progressEvents.Count));
            foreach (var e in progressEvents) Delivered.Enqueue(e);
            return Task.CompletedTask;
        }

        public Task SignalAsync(string crawlId, ProgressEvent progressEvent, CancellationToken ct = default) => SignalAllAsync(crawlId, [progressEvent], ct);
        public Task<CrawlProgress?> ReadAsync(string crawlId, CancellationToken ct = default)
        {
            Interlocked.Increment(ref Reads);
            if (Interlocked.Decrement(ref ReadFailuresLeft) >= 0) throw new IOException("entity state blob replaced\n   at Durable.Read()");
            return Task.FromResult<CrawlProgress?>(new CrawlProgress { CrawlId = crawlId });
        }
    }

    /// <summary>Flushed by hand only: the loop would wait an hour.</summary>
    private static readonly ProgressStoreOptions Fast = new()
    {
        FlushEvery = TimeSpan.FromHours(1), FirstFlushAfter = TimeSpan.FromHours(1), ReadBackoff = TimeSpan.FromMilliseconds(1),
    };

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
    public async Task The_first_event_after_a_quiet_spell_is_sent_at_once_and_the_rest_once_per_flush_interval()
    {
        var time = new FakeTimeProvider();
        var inner = new RecordingSink();
        var options = new ProgressStoreOptions { FlushEvery = TimeSpan.FromSeconds(1), FirstFlushAfter = TimeSpan.FromMilliseconds(100) };
        await using var sink = new BatchingProgressSink(inner, options, NullLogger<BatchingProgressSink>.Instance, time);

        await sink.SignalAsync("c1", Done(1)); // the crawl's first playlist
        Assert.InRange(await AdvanceUntilAsync(time, () => inner.Signals.Count == 1), 100, 250); // not a whole interval later

        for (var i = 2; i <= 4; i++) await sink.SignalAsync("c1", Done(i)); // right behind it: gathered
        Assert.InRange(await AdvanceUntilAsync(time, () => inner.Signals.Count == 2), 1000, 1250);
        Assert.Equal(3, inner.Signals.Last().Count);

        time.Advance(TimeSpan.FromSeconds(30)); // quiet
        await sink.SignalAsync("c1", Done(5));
        Assert.InRange(await AdvanceUntilAsync(time, () => inner.Signals.Count == 3), 100, 250);
        Assert.Equal([1L, 2, 3, 4, 5], inner.Delivered.Select(e => e.PlaylistId!.Value));
    }

    /// <summary>Moves the fake clock 50 ms at a time until <paramref name="done"/>; the milliseconds it took.</summary>
    private static async Task<int> AdvanceUntilAsync(FakeTimeProvider time, Func<bool> done)
    {
        for (var advanced = 0; advanced <= 60_000; advanced += 50)
        {
            // Let the loop reach its next wait before the clock moves on (it runs on the thread pool); a late loop
            // can only make the figure larger.
            for (var spin = 0; spin < 15 && !done(); spin++) await Task.Delay(1);
            if (done()) return advanced;
            time.Advance(TimeSpan.FromMilliseconds(50));
        }
        throw new TimeoutException("nothing was sent within a minute of fake time");
    }

    [Fact]
    public async Task A_failed_signal_is_retried_without_losing_or_reordering_events()
    {
        var inner = new RecordingSink { FailuresLeft = 1 };
        var sink = new BatchingProgressSink(inner, Fast, NullLogger<BatchingProgressSink>.Instance);
        for (var i = 0; i < 3; i++) await sink.SignalAsync("c1", Done(i));
        await sink.FlushAsync(CancellationToken.None); // fails: kept
        await sink.SignalAsync("c1", Done(3));
        await sink.FlushAsync(CancellationToken.None);
        Assert.Equal([0L, 1, 2, 3], inner.Delivered.Select(e => e.PlaylistId!.Value));
        await sink.DisposeAsync();
    }


    [Fact]
    public async Task A_read_that_fails_twice_is_answered_by_the_third_try()
    {
        var inner = new RecordingSink { ReadFailuresLeft = 2 };
        await using var sink = new BatchingProgressSink(inner, Fast, NullLogger<BatchingProgressSink>.Instance);
        Assert.Equal("c1", (await sink.ReadAsync("c1"))?.CrawlId);
        Assert.Equal(3, inner.Reads);
    }

    [Fact]
    public async Task A_read_that_fails_three_times_gives_up_in_one_line_naming_the_crawl()
    {
        var inner = new RecordingSink { ReadFailuresLeft = 3 };
        await using var sink = new BatchingProgressSink(inner, Fast, NullLogger<BatchingProgressSink>.Instance);
        var error = await Assert.ThrowsAsync<ProgressUnavailableException>(() => sink.ReadAsync("c1"));
        Assert.Equal(3, inner.Reads);
        Assert.Equal("c1", error.CrawlId);
        Assert.Equal("entity state blob replaced", error.Reason);
    }

    [Fact]
    public async Task A_cancelled_read_is_not_retried()
    {
        var inner = new RecordingSink { ReadFailuresLeft = 5 };
        await using var sink = new BatchingProgressSink(inner, Fast, NullLogger<BatchingProgressSink>.Instance);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAsync<IOException>(() => sink.ReadAsync("c1", cancelled.Token));
        Assert.Equal(1, inner.Reads);
    }

    [Fact]
    public async Task A_batch_sent_again_after_a_failure_keeps_its_batch_id_so_the_entity_applies_it_once()
    {
        var inner = new RecordingSink { FailuresLeft = 1 };
        await using var sink = new BatchingProgressSink(inner, Fast, NullLogger<BatchingProgressSink>.Instance);
        await sink.SignalAsync("c1", Done(1));
        var first = inner.Delivered.Count;
        Assert.False(await sink.FlushAsync(CancellationToken.None));
        Assert.True(await sink.FlushAsync(CancellationToken.None));
        Assert.Equal(0, first);
        var delivered = Assert.Single(inner.Delivered);
        Assert.NotNull(delivered.BatchId);

        var progress = new CrawlProgress();
        progress.ApplyAll([delivered]);
        progress.ApplyAll([delivered]); // the "failed" signal that had arrived after all
        Assert.Equal(1, progress.Counts["说唱"].Done);
    }
}
