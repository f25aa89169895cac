using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Progress;

/// <summary>
/// Gathers the progress events of a crawl for a short while and sends them to the status entity as
/// one signal: one entity operation per flush instead of one per playlist, which is most of the
/// crawl's storage traffic. Events held when the process dies are not lost for good: the resume at
/// start and the stall check send the unfinished work again, and its steps signal again.
/// </summary>
public sealed class BatchingProgressSink(IBatchProgressSink inner, TimeSpan flushEvery, ILogger<BatchingProgressSink> log)
    : ICrawlProgressSink, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ProgressEvent>> _pending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private int _started;
    private Task _loop = Task.CompletedTask;

    public Task SignalAsync(string crawlId, ProgressEvent progressEvent, CancellationToken ct = default)
    {
        _pending.GetOrAdd(crawlId, _ => new ConcurrentQueue<ProgressEvent>()).Enqueue(progressEvent);
        if (Interlocked.Exchange(ref _started, 1) == 0) _loop = Task.Run(LoopAsync);
        return Task.CompletedTask;
    }

    public Task<CrawlProgress?> ReadAsync(string crawlId, CancellationToken ct = default) => inner.ReadAsync(crawlId, ct);

    /// <summary>Sends everything gathered so far (a failed signal keeps its events for the next flush).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        foreach (var (crawlId, queue) in _pending)
        {
            while (!queue.IsEmpty)
            {
                var batch = Take(queue);
                try
                {
                    await inner.SignalAllAsync(crawlId, batch, ct).WaitAsync(ct); // not every sink observes ct
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Put them back in front, in order, with their batch id: the next flush sends the same batch again,
                    // and the entity applies it once even if this signal did arrive.
                    var rest = new List<ProgressEvent>();
                    while (queue.TryDequeue(out var later)) rest.Add(later);
                    foreach (var again in batch.Concat(rest)) queue.Enqueue(again);
                    log.LogWarning("Could not signal the status of crawl {CrawlId}; will retry: {Error}", crawlId, e.Message);
                    break;
                }
            }
        }
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
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(flushEvery, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            await FlushAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        // A last flush, bounded: a stopping host must not hang on storage that is going away. What is not
        // sent is sent again by the resume at the next start (its steps signal again).
        using var bound = new CancellationTokenSource(FinalFlushTimeout);
        try
        {
            await FlushAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(1);
}

/// <summary>A sink that can deliver several events in one signal.</summary>
public interface IBatchProgressSink : ICrawlProgressSink
{
    Task SignalAllAsync(string crawlId, IReadOnlyList<ProgressEvent> progressEvents, CancellationToken ct = default);
}
