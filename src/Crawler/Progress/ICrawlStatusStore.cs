namespace FunctionsCrawler.Progress;

/// <summary>
/// Removes a crawl's status entity (state and history) for good: the retention clean-up's way into the
/// host's Durable task hub. Each host implements it with its own Durable client.
/// </summary>
public interface ICrawlStatusStore
{
    /// <summary>Purges the crawl's status entity; true when there was one, false when it was already gone.</summary>
    Task<bool> DeleteAsync(string crawlId, CancellationToken ct = default);
}
