using FunctionsCrawler.Configuration;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// What one clean-up run did: the crawls deleted, the old ones kept as the newest completed crawl of a category, and the
/// history rows deleted for being older than <c>Crawler__HistoryDays</c>.
/// </summary>
public sealed record CleanUpSummary(IReadOnlyList<string> Deleted, IReadOnlyList<string> Kept, int HistoryRows = 0);

/// <summary>
/// The retention clean-up (timer <c>Crawler__CleanupSchedule</c>): everything per-crawl of a crawl started more than
/// <c>Crawler__RetentionDays</c> ago is deleted — its partition of <c>CrawlItems</c>, its poison messages, its status
/// entity and, last, its registry row — except the newest completed crawl of each category, whose rows the export reads.
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
            log.LogInformation("Clean-up: no crawl started before {Cutoff:u} to delete ({Kept} kept as the newest completed of a category)", cutoff, kept.Count);
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
        log.LogInformation("Clean-up: deleted {Deleted} crawls started before {Cutoff:u} ({Rows} item rows, {Poison} poison messages); kept {Kept} older ones as the newest completed of a category",
            doomed.Count, cutoff, rows, poison.Values.Sum(), kept.Count);
        return new CleanUpSummary(doomed.Select(c => c.CrawlId).ToList(), kept, historyRows);
    }

    /// <summary>Newest first: a crawl is kept when it is recent, or when it is the newest completed crawl of one of its categories.</summary>
    private async Task<(List<CrawlInfo> Doomed, List<string> Kept)> ChooseAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        var covered = new HashSet<string>(StringComparer.Ordinal); // categories that already have a newer completed crawl
        var doomed = new List<CrawlInfo>();
        var kept = new List<string>();
        foreach (var crawl in (await crawls.ListSinceAsync(DateTimeOffset.MinValue, ct)).OrderByDescending(c => c.StartedAt))
        {
            var old = crawl.StartedAt < cutoff;
            // A crawl holds a category's rows when it completed with at least one of its pages read (one whose pages all
            // failed still completes when another category succeeded). Crawls registered before the registry knew how
            // they ended are asked of their status.
            var held = crawl.Final is { } final ? crawl.Categories.Where(c => final.Counts.GetValueOrDefault(c)?.PagesDone > 0).ToList()
                : crawl.Site.Length == 0 && (await queries.StatusAsync(crawl, ct)).State == CrawlStates.Completed ? [.. crawl.Categories]
                : [];
            if (crawl.State == CrawlInfo.Failed) held.Clear();
            var newestOfSome = held.Any(c => !covered.Contains(c));
            covered.UnionWith(held);
            if (!old) continue;
            if (newestOfSome) kept.Add(crawl.CrawlId);
            else doomed.Add(crawl);
        }
        return (doomed, kept);
    }
}
