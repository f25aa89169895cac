using System.Collections.Concurrent;
using System.Text.Json;
using FunctionsCrawler.Progress;

namespace FunctionsCrawler.TestSupport;

/// <summary>
/// The crawls' status entities where the Durable engine cannot run in-process: it stands in for each host's own
/// entity sink (under the core's progress store), applies operations one at a time as an entity does, keeps the state
/// as JSON between operations, purges an entity as the clean-up does, and fails reads or signals on demand.
/// The one in-memory status fake of every test project.
/// </summary>
public sealed class InMemoryStatusEntities : IBatchProgressSink, ICrawlStatusStore
{
    private readonly ConcurrentDictionary<string, string> _states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _readFailures = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private int _signalFailures;
    private bool _failAfterApplying;

    /// <summary>Every operation the store received: crawl, event count, the batch id of its events (null for a single event).</summary>
    public ConcurrentQueue<(string CrawlId, int Events, string? BatchId)> Operations { get; } = new();

    public ConcurrentQueue<string> Reads { get; } = new();

    /// <summary>The next <paramref name="count"/> reads of <paramref name="crawlId"/> (every crawl: "*") fail.</summary>
    public void FailReads(string crawlId, int count) => _readFailures[crawlId] = count;

    /// <summary>The next <paramref name="count"/> signals fail; <paramref name="afterApplying"/>: they did arrive (an unclear failure).</summary>
    public void FailSignals(int count, bool afterApplying = false)
    {
        _signalFailures = count;
        _failAfterApplying = afterApplying;
    }

    public Task SignalAsync(string crawlId, ProgressEvent progressEvent, CancellationToken ct = default) => SignalAllAsync(crawlId, [progressEvent], ct);

    public Task SignalAllAsync(string crawlId, IReadOnlyList<ProgressEvent> progressEvents, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var fail = _signalFailures > 0;
            if (fail) _signalFailures--;
            if (fail && !_failAfterApplying) throw new IOException("the task hub did not answer");
            // What goes over the wire: the events as JSON.
            var events = JsonSerializer.Deserialize<List<ProgressEvent>>(JsonSerializer.Serialize(progressEvents))!;
            var state = State(crawlId) ?? new CrawlProgress();
            state.ApplyAll(events);
            _states[crawlId] = JsonSerializer.Serialize(state);
            Operations.Enqueue((crawlId, events.Count, events.Count > 0 ? events[0].BatchId : null));
            foreach (var e in events) _events.Enqueue((crawlId, e));
            if (fail) throw new IOException("the task hub did not confirm the signal");
            return Task.CompletedTask;
        }
    }

    public Task<CrawlProgress?> ReadAsync(string crawlId, CancellationToken ct = default)
    {
        Reads.Enqueue(crawlId);
        foreach (var key in new[] { crawlId, "*" })
            if (_readFailures.TryGetValue(key, out var left) && left > 0)
            {
                _readFailures[key] = left - 1;
                throw new IOException($"entity {crawlId} could not be read\n   at DurableTask.Read()");
            }
        return Task.FromResult(State(crawlId));
    }

    public CrawlProgress? State(string crawlId) =>
        _states.TryGetValue(crawlId, out var json) ? JsonSerializer.Deserialize<CrawlProgress>(json) : null;

    /// <summary>The crawls that have an entity.</summary>
    public bool Has(string crawlId) => _states.ContainsKey(crawlId);

    /// <summary>The crawls whose entity was purged, in order (a purge of a missing entity too).</summary>
    public ConcurrentQueue<string> Purged { get; } = new();

    public Task<bool> DeleteAsync(string crawlId, CancellationToken ct = default)
    {
        Purged.Enqueue(crawlId);
        return Task.FromResult(_states.TryRemove(crawlId, out _));
    }

    /// <summary>Every event applied, with its crawl, in order.</summary>
    public IReadOnlyList<(string CrawlId, ProgressEvent Event)> Events => [.. _events];

    /// <summary>The kinds of the events applied to <paramref name="crawlId"/>'s entity, in order.</summary>
    public IReadOnlyList<ProgressEventKind> Kinds(string crawlId) => _events.Where(k => k.CrawlId == crawlId).Select(k => k.Event.Kind).ToList();

    /// <summary>How many events of this kind were applied, to any crawl.</summary>
    public int Count(ProgressEventKind kind) => _events.Count(e => e.Event.Kind == kind);

    private readonly ConcurrentQueue<(string CrawlId, ProgressEvent Event)> _events = new();
}
