using System.Collections.Concurrent;
using System.Threading.Channels;
using FunctionsCrawler.Logging;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Progress;

/// <summary>A crawl's status entity could not be read, after the progress store's retries (HTTP 503 on a route).</summary>
public sealed class ProgressUnavailableException(string crawlId, string reason, Exception inner)
    : Exception($"The status of crawl {crawlId} could not be read: {reason}", inner)
{
    public string CrawlId { get; } = crawlId;

    /// <summary>The last failure, in one line, without storage secrets.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// The progress store of both hosts, over the host's Durable status entity (<see cref="IBatchProgressSink"/>).
/// It sends the first events after a quiet spell <see cref="ProgressStoreOptions.FirstFlushAfter"/> later, then at most
/// one signal per <see cref="ProgressStoreOptions.FlushEvery"/> with everything gathered meanwhile, each stamped with a
/// batch id (one entity operation per flush instead of one per playlist, which is most of the crawl's storage traffic;
/// the entity applies a batch once, even when a signal that seemed to fail is sent again). A failed
/// signal keeps its events, and the next flush waits twice as long (up to <see cref="ProgressStoreOptions.MaxSignalBackoff"/>).
/// A read is tried <see cref="ProgressStoreOptions.ReadTries"/> times with a doubling backoff, then fails with
/// <see cref="ProgressUnavailableException"/>. Events held when the process dies are not lost for good: the resume at
/// start and the stall check send the unfinished work again, and its steps signal again.
/// </summary>
public sealed class BatchingProgressSink : ICrawlProgressSink, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ProgressEvent>> _pending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    // Holds one token when events arrived since the loop last looked.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly IBatchProgressSink _inner;
    private readonly ProgressStoreOptions _options;
    private readonly ILogger<BatchingProgressSink> _log;
    private readonly TimeProvider _time;
    private int _started;
    private int _failedFlushes;
    // One flush at a time: a flush asked for while the loop's is sending waits for it, so "sent" means what was gathered.
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private Task _loop = Task.CompletedTask;

    public BatchingProgressSink(IBatchProgressSink inner, ProgressStoreOptions options, ILogger<BatchingProgressSink> log, TimeProvider? time = null)
    {
        _inner = inner;
        _options = options;
        _log = log;
        _time = time ?? TimeProvider.System;
    }

    public BatchingProgressSink(IBatchProgressSink inner, TimeSpan flushEvery, ILogger<BatchingProgressSink> log)
        : this(inner, new ProgressStoreOptions { FlushEvery = flushEvery }, log)
    {
    }

    /// <summary>The entity sink under the batching: what a test or a host's check can look at.</summary>
    public IBatchProgressSink Inner => _inner;

    public Task SignalAsync(string crawlId, ProgressEvent progressEvent, CancellationToken ct = default)
    {
        _pending.GetOrAdd(crawlId, _ => new ConcurrentQueue<ProgressEvent>()).Enqueue(progressEvent);
        _wake.Writer.TryWrite(true);
        if (Interlocked.Exchange(ref _started, 1) == 0) _loop = Task.Run(LoopAsync, CancellationToken.None); // the loop outlives the signal that started it
        return Task.CompletedTask;
    }

    public async Task<CrawlProgress?> ReadAsync(string crawlId, CancellationToken ct = default)
    {
        // A large state lives in a blob the entity replaces on each batch: a read that lands in between finds the old
        // blob gone, and the next read gets the new one. Storage and the host's gRPC endpoint have their busy moments too.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _inner.ReadAsync(crawlId, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                if (attempt >= _options.ReadTries)
                    throw new ProgressUnavailableException(crawlId, OneLine(e), e);
                await Task.Delay(Backoff(_options.ReadBackoff, attempt), ct);
            }
        }
    }

    /// <summary>Sends everything gathered so far; false when a signal failed (its events are kept for the next flush).</summary>
    public async Task<bool> FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            return await FlushPendingAsync(ct);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task<bool> FlushPendingAsync(CancellationToken ct)
    {
        var sent = true;
        foreach (var (crawlId, queue) in _pending)
        {
            while (!queue.IsEmpty)
            {
                var batch = Take(queue);
                try
                {
                    await _inner.SignalAllAsync(crawlId, batch, ct).WaitAsync(ct); // not every sink observes ct
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // Put them back in front, in order, with their batch id: the next flush sends the same batch again,
                    // and the entity applies it once even if this signal did arrive.
                    var rest = new List<ProgressEvent>();
                    while (queue.TryDequeue(out var later)) rest.Add(later);
                    foreach (var again in batch.Concat(rest)) queue.Enqueue(again);
                    _log.LogWarning("Could not signal the status of crawl {CrawlId}; will retry: {Error}", crawlId, OneLine(e));
                    sent = false;
                    break;
                }
            }
        }
        return sent;
    }

    /// <summary>A batch that failed before (its events carry its id), whole and alone; else up to 500 new events under a new id.</summary>
    private static List<ProgressEvent> Take(ConcurrentQueue<ProgressEvent> queue)
    {
        var batch = new List<ProgressEvent>();
        if (queue.TryPeek(out var first) && first.BatchId is { } retried)
        {
            while (queue.TryPeek(out var next) && next.BatchId == retried && queue.TryDequeue(out var e)) batch.Add(e);
            return batch;
        }
        var id = Guid.NewGuid().ToString("N");
        while (batch.Count < 500 && queue.TryPeek(out var next) && next.BatchId is null && queue.TryDequeue(out var e))
        {
            e.BatchId = id;
            batch.Add(e);
        }
        return batch;
    }

    private async Task LoopAsync()
    {
        var first = _options.FirstFlushAfter < _options.FlushEvery ? _options.FirstFlushAfter : _options.FlushEvery;
        try
        {
            while (true)
            {
                await _wake.Reader.ReadAsync(_stop.Token);
                await Task.Delay(first, _time, _stop.Token);
                _failedFlushes = await FlushAsync(CancellationToken.None) ? 0 : _failedFlushes + 1;
                if (_failedFlushes > 0) _wake.Writer.TryWrite(true); // what failed is sent again
                // At most one signal per FlushEvery; signals failing in a row wait twice as long each time, so a
                // struggling entity is not hammered.
                var wait = _failedFlushes == 0 ? _options.FlushEvery - first : Min(Backoff(_options.FlushEvery, _failedFlushes + 1), _options.MaxSignalBackoff);
                await Task.Delay(wait, _time, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The stopping host's last flush, bounded by <see cref="ProgressStoreOptions.FinalFlushTimeout"/>: what is not sent
    /// then is sent again by the resume at the next start (its steps signal again).
    /// </summary>
    public async Task FlushOnStopAsync()
    {
        using var bound = new CancellationTokenSource(_options.FinalFlushTimeout);
        try
        {
            await FlushAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        await _loop;
        await FlushOnStopAsync();
        _stop.Dispose();
        _flushing.Dispose();
    }

    /// <summary><paramref name="first"/> × 2^(attempt−1), give or take a fifth.</summary>
    private static TimeSpan Backoff(TimeSpan first, int attempt) =>
        first * Math.Pow(2, Math.Min(attempt - 1, 16)) * (0.8 + Random.Shared.NextDouble() * 0.4);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string OneLine(Exception e) => StorageSecrets.Redact(SafeText.Of(e.Message.Split('\n')[0].Trim()));
}

/// <summary>A sink that can deliver several events in one signal: each host's way into its Durable status entity.</summary>
public interface IBatchProgressSink : ICrawlProgressSink
{
    Task SignalAllAsync(string crawlId, IReadOnlyList<ProgressEvent> progressEvents, CancellationToken ct = default);
}
