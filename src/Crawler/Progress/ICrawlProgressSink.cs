namespace FunctionsCrawler.Progress;

/// <summary>
/// Where pipeline steps report progress: the host's Durable status entity, one per crawl.
/// Steps only signal (never call), so a slow entity never holds up the crawl.
/// </summary>
public interface ICrawlProgressSink
{
    Task SignalAsync(string crawlId, ProgressEvent progressEvent, CancellationToken ct = default);

    /// <summary>The entity's state, or null when the crawl has no entity yet.</summary>
    Task<CrawlProgress?> ReadAsync(string crawlId, CancellationToken ct = default);
}
