using System.Collections.Concurrent;

namespace FunctionsCrawler.Progress;

/// <summary>
/// The status routes' entity reads, kept <see cref="Lifetime"/> per crawl id: the dashboard polls and anyone may ask, and
/// each answer is an entity read per crawl listed. A failed read is not kept, so a 503 is never repeated from memory.
/// The pipeline and the run's own view read the entity directly.
/// </summary>
public sealed class StatusReadCache(TimeProvider time)
{
    /// <summary>
    /// One second: polling then costs at most one entity read a second per crawl, whoever asks, and a pause of a couple of
    /// seconds still shows (the entity itself lags up to a second; a longer keep hid short pauses from the dashboard).
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    /// <summary>Entries past this many are swept of the expired ones (ids come from the registry, so they are few).</summary>
    private const int SweepAbove = 1000;

    private readonly ConcurrentDictionary<string, (CrawlProgress? State, DateTimeOffset Until)> _reads = new(StringComparer.Ordinal);

    public async Task<CrawlProgress?> ReadAsync(string crawlId, Func<string, CancellationToken, Task<CrawlProgress?>> read, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_reads.TryGetValue(crawlId, out var kept) && kept.Until > now) return kept.State;
        var state = await read(crawlId, ct);
        if (_reads.Count > SweepAbove)
            foreach (var (id, entry) in _reads)
                if (entry.Until <= now) _reads.TryRemove(id, out _);
        _reads[crawlId] = (state, time.GetUtcNow() + Lifetime);
        return state;
    }
}
