using FunctionsCrawler.Configuration;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>What a new crawl does about an unfinished crawl that covers one of its categories.</summary>
public enum OverlapPolicy
{
    /// <summary>Refuse to start (<see cref="CrawlOverlapException"/>): the default everywhere.</summary>
    Refuse,
    /// <summary>Cancel the unfinished crawl(s), then start: <c>./run.sh --new</c>, <c>"new": true</c> on <c>POST /api/crawls</c>.</summary>
    CancelUnfinished,
}

/// <summary>A crawl was refused because <see cref="Running"/>, unfinished, covers one of its categories (HTTP 409).</summary>
public sealed class CrawlOverlapException(UnfinishedCrawl running, string message) : Exception(message)
{
    public UnfinishedCrawl Running { get; } = running;

    /// <summary>The id of the unfinished crawl in the way.</summary>
    public string CrawlId => Running.Crawl.CrawlId;
}

/// <summary>
/// The producer: resolves the categories (<c>all</c> = the site's menu), refuses to overlap an unfinished crawl
/// (or cancels it when asked), registers the crawl and enqueues the first list page of each category.
/// That page reads the pager and enqueues the rest, so a crash here loses nothing the queue holds.
/// </summary>
public sealed class StartCrawl(CrawlTable crawls, CrawlItemTable items, CrawlQueues queues, ICrawlProgressSink progress, CrawlQueries queries,
    ResolveCategories resolve, CancelledCrawls cancelled, IOptions<CrawlerOptions> options, IOptions<NetEaseOptions> site, TimeProvider time,
    ILogger<StartCrawl> log)
{
    /// <summary>Starts a crawl, refused with <see cref="CrawlOverlapException"/> while an unfinished crawl covers a category.</summary>
    public Task<CrawlInfo> RunAsync(IReadOnlyList<string> categories, int maxPages, string startedBy, CancellationToken ct) =>
        RunAsync(categories, maxPages, startedBy, OverlapPolicy.Refuse, ct);

    public async Task<CrawlInfo> RunAsync(IReadOnlyList<string> categories, int maxPages, string startedBy, OverlapPolicy overlap, CancellationToken ct)
    {
        if (maxPages < 0)
            throw new CrawlerConfigurationException($"Crawler__MaxPages must be 0 (all) or more, got {maxPages}.");
        // Names only, before anything reads or writes them: every start (route, run, timer) comes here, some with a menu's
        // names already expanded (the run resolves `all` first), so the bound is a menu's and a request's together.
        CategoryNames.Check(categories, CategoryNames.MaxFromMenu + CategoryNames.MaxPerRequest, "categories");
        var list = (await resolve.RunAsync(categories, ct)).Names;
        if (list.Count == 0)
            throw new CrawlerConfigurationException("Crawler__Categories must name at least one category, got an empty list.");

        var now = time.GetUtcNow();
        var crawl = new CrawlInfo(CrawlTable.NewCrawlId(now), list, maxPages, now, startedBy) { Site = site.Value.Site };
        var unfinished = await queries.UnfinishedCoveringAsync(list, ct);
        if (unfinished.Count > 0 && overlap == OverlapPolicy.Refuse)
        {
            var running = unfinished[0];
            throw new CrawlOverlapException(running,
                $"Not started: {running.Describe()}. A category is crawled by one crawl at a time: wait for it to finish, " +
                "or start with --new (./run.sh) or \"new\": true (POST /api/crawls) to cancel it.");
        }
        foreach (var old in unfinished)
        {
            await crawls.CancelAsync(old.Crawl.CrawlId, now, crawl.CrawlId, ct);
            cancelled.Remember(old.Crawl.CrawlId);
            log.LogWarning("Crawl {Old} ({Categories}) cancelled: crawl {CrawlId} replaces it", old.Crawl.CrawlId, string.Join(", ", old.Crawl.Categories), crawl.CrawlId);
        }

        // Its work is open before the crawl is registered: a registered crawl never looks finished for want of it.
        await items.OpenCrawlAsync(crawl.CrawlId, list, ct);
        await crawls.AddAsync(crawl, ct);
        await progress.SignalAsync(crawl.CrawlId, ProgressEvent.Started(crawl.CrawlId, list, maxPages, now), ct);
        foreach (var category in list)
            await queues.EnqueueAsync(new PageWork(crawl.CrawlId, category, 0, maxPages), ct);
        log.LogInformation("Crawl {CrawlId} started by {StartedBy}: {Categories}, max pages {MaxPages}",
            crawl.CrawlId, startedBy, list.Count > 8 ? $"{list.Count} categories ({string.Join(", ", list.Take(8))}, …)" : string.Join(", ", list),
            maxPages == 0 ? "all" : maxPages);
        return crawl;
    }

    /// <summary>The timer's start (<c>Crawler__Schedule</c>): the configured categories; skipped, in one log line, while they overlap an unfinished crawl.</summary>
    public async Task<CrawlInfo?> RunOnScheduleAsync(CancellationToken ct)
    {
        try
        {
            return await RunAsync(options.Value.CategoryList, options.Value.MaxPages, "timer", ct);
        }
        catch (CrawlOverlapException e)
        {
            log.LogWarning("Scheduled crawl skipped: {Running}", e.Running.Describe());
            return null;
        }
    }
}
