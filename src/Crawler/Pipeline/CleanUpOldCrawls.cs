using FunctionsCrawler.Configuration;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// What one clean-up run did: the crawls deleted, the old ones kept as the newest to hold a category's rows, and the
/// history rows deleted for being older than <c>Crawler__HistoryDays</c>.
/// </summary>
public sealed record CleanUpSummary(IReadOnlyList<string> Deleted, IReadOnlyList<string> Kept, int HistoryRows = 0);

/// <summary>
/// The retention clean-up (timer <c>Crawler__CleanupSchedule</c>): everything per-crawl of a crawl started more than
/// <c>Crawler__RetentionDays</c> ago is deleted — its partition of <c>CrawlItems</c>, its poison messages, its status
/// entity and, last, its registry row — except, for each category, the newest ended crawl that holds rows of it (whatever
/// happened to its other categories), whose rows the export reads.
/// The dataset table <c>Playlists</c> is never touched. A run cut short leaves the registry row, so the next run finishes it.
/// History (<see cref="PlaylistHistoryTable"/>) has its own retention, <c>Crawler__HistoryDays</c>: its rows go by their age,
/// never with their crawl.
/// </summary>
public sealed class CleanUpOldCrawls(CrawlTable crawls, CrawlQueries queries, CrawlItemTable items, CrawlQueues queues, PlaylistHistoryTable history,
    ICrawlStatusStore statuses, IOptions<CrawlerOptions> options, TimeProvider time, ILogger<CleanUpOldCrawls> log)
{
    /// <summary>How long a poison message of another crawl stays invisible while the poison queues are scanned.</summary>
    private static readonly TimeSpan ScanVisibility = TimeSpan.FromMinutes(2);

    public async Task<CleanUpSummary> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var historyCutoff = now - options.Value.HistoryRetention;
        var historyRows = await history.DeleteOlderThanAsync(historyCutoff, ct);
        log.LogInformation("Clean-up: deleted {Rows} history rows recorded before {Cutoff:u}", historyRows, historyCutoff);

        var cutoff = now - options.Value.Retention;
        var (doomed, kept) = await ChooseAsync(cutoff, ct);
        if (doomed.Count == 0)
        {
            log.LogInformation("Clean-up: no crawl started before {Cutoff:u} to delete ({Kept} kept as the newest holding a category's rows)", cutoff, kept.Count);
            return new CleanUpSummary([], kept, historyRows);
        }

        var poison = await queues.DeletePoisonAsync(doomed.Select(c => c.CrawlId).ToHashSet(StringComparer.Ordinal), ScanVisibility, ct);
        var rows = 0;
        foreach (var crawl in doomed)
        {
            var crawlRows = await items.DeleteCrawlAsync(crawl.CrawlId, ct);
            var entity = await statuses.DeleteAsync(crawl.CrawlId, ct);
            await crawls.DeleteAsync(crawl.CrawlId, ct);
            rows += crawlRows;
            log.LogInformation("Clean-up: deleted crawl {CrawlId} (started {StartedAt:u}, {Categories}): {Rows} item rows, {Poison} poison messages, status entity {Entity}",
                crawl.CrawlId, crawl.StartedAt, string.Join(", ", crawl.Categories), crawlRows, poison.GetValueOrDefault(crawl.CrawlId), entity ? "purged" : "already gone");
        }
        log.LogInformation("Clean-up: deleted {Deleted} crawls started before {Cutoff:u} ({Rows} item rows, {Poison} poison messages); kept {Kept} older ones as the newest holding a category's rows",
            doomed.Count, cutoff, rows, poison.Values.Sum(), kept.Count);
        return new CleanUpSummary(doomed.Select(c => c.CrawlId).ToList(), kept, historyRows);
    }

    /// <summary>
    /// Newest first: a crawl is kept when it is recent, or when it is the newest ended crawl holding rows of one of its
    /// categories. A category counts by its own rows, whatever became of the crawl's other categories: a crawl of (X, Y)
    /// whose X pages all failed still completes, and must not free the older crawl that holds X's rows.
    /// </summary>
    private async Task<(List<CrawlInfo> Doomed, List<string> Kept)> ChooseAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        var covered = new HashSet<string>(StringComparer.Ordinal); // categories whose rows a newer ended crawl holds
        var doomed = new List<CrawlInfo>();
        var kept = new List<string>();
        foreach (var crawl in (await crawls.ListSinceAsync(DateTimeOffset.MinValue, ct)).OrderByDescending(c => c.StartedAt))
        {
            var old = crawl.StartedAt < cutoff;
            var held = await HeldCategoriesAsync(crawl, ct);
            var newestOfSome = held.Any(c => !covered.Contains(c));
            covered.UnionWith(held);
            if (!old) continue;
            if (newestOfSome) kept.Add(crawl.CrawlId);
            else doomed.Add(crawl);
        }
        return (doomed, kept);
    }

    /// <summary>
    /// The categories whose rows (done playlists, what the exports read) the crawl holds; a done page whose playlists all
    /// failed holds none. An ended crawl says so in its tally's counts; one registered before the registry knew how crawls
    /// end is asked of its status, then of the item table (one filtered query per category). A crawl still running or
    /// cancelled holds none: its rows are half a read, so they neither free an older crawl nor keep this one.
    /// </summary>
    private async Task<List<string>> HeldCategoriesAsync(CrawlInfo crawl, CancellationToken ct)
    {
        if (crawl.Final is { } final) return crawl.Categories.Where(c => final.Counts.GetValueOrDefault(c)?.Done > 0).ToList();
        if (crawl.Site.Length > 0 || (await queries.StatusAsync(crawl, ct)).State != CrawlStates.Completed) return [];
        var held = new List<string>();
        foreach (var category in crawl.Categories)
            if (await items.HasRowsAsync(crawl.CrawlId, category, ct)) held.Add(category);
        return held;
    }
}
