using FunctionsCrawler.Configuration;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The producer: registers a crawl and enqueues the first list page of each category.
/// That page reads the pager and enqueues the rest, so a crash here loses nothing the queue holds.
/// </summary>
public sealed class StartCrawl(CrawlTable crawls, CrawlQueues queues, ICrawlProgressSink progress, TimeProvider time, ILogger<StartCrawl> log)
{
    public async Task<CrawlInfo> RunAsync(IReadOnlyList<string> categories, int maxPages, string startedBy, CancellationToken ct)
    {
        var list = categories.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
            throw new CrawlerConfigurationException("Crawler__Categories must name at least one category, got an empty list.");
        if (maxPages < 0)
            throw new CrawlerConfigurationException($"Crawler__MaxPages must be 0 (all) or more, got {maxPages}.");

        var now = time.GetUtcNow();
        var crawl = new CrawlInfo(CrawlTable.NewCrawlId(now), list, maxPages, now, startedBy);
        await crawls.AddAsync(crawl, ct);
        await progress.SignalAsync(crawl.CrawlId, ProgressEvent.Started(crawl.CrawlId, list, maxPages, now), ct);
        foreach (var category in list)
            await queues.EnqueueAsync(new PageWork(crawl.CrawlId, category, 0, maxPages), ct);
        log.LogInformation("Crawl {CrawlId} started by {StartedBy}: {Categories}, max pages {MaxPages}",
            crawl.CrawlId, startedBy, string.Join(", ", list), maxPages == 0 ? "all" : maxPages);
        return crawl;
    }
}
