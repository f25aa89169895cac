using System.Collections.Concurrent;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// Whether a crawl was cancelled (a newer crawl replaced it), for steps to drop a cancelled crawl's late
/// messages first thing. An answer is kept for <see cref="CacheFor"/>, so a busy queue costs one point read per
/// crawl every few seconds; a cancelled crawl stays cancelled, so that answer is kept for good.
/// </summary>
public sealed class CancelledCrawls(CrawlTable crawls, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (bool Cancelled, DateTimeOffset Until)> _known = new(StringComparer.Ordinal);

    /// <summary>True when the registry says the crawl was cancelled; false for a crawl it does not know.</summary>
    public async ValueTask<bool> IsCancelledAsync(string crawlId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (_known.TryGetValue(crawlId, out var known) && (known.Cancelled || known.Until > now)) return known.Cancelled;
        var cancelled = (await crawls.GetAsync(crawlId, ct))?.IsCancelled ?? false;
        _known[crawlId] = (cancelled, now + CacheFor);
        return cancelled;
    }

    /// <summary>This process cancelled it: no need to wait for the cache to find out.</summary>
    public void Remember(string crawlId) => _known[crawlId] = (true, DateTimeOffset.MaxValue);
}
