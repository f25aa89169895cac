using FunctionsCrawler.Configuration;
using FunctionsCrawler.Logging;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The judge of a crawl's end, asked by every step that finishes a message and by the stall check: a crawl is over when
/// its item table holds no open row (every planned page read or failed, no playlist pending). Then its figures are
/// counted once from that table, the registry records the crawl completed (or failed, when nothing it read succeeded)
/// with them, and the one call that made that change tells the status entity, whose live counters they replace. Just
/// before, the crawl's own rows go to <see cref="PlaylistHistoryTable"/>: a crash in between leaves the crawl started, so
/// the next call writes them again (upserts, the same rows).
/// </summary>
public sealed class FinishCrawl(CrawlTable crawls, CrawlItemTable items, PlaylistHistoryTable history, PreviousCrawl previous, ICrawlProgressSink progress,
    TimeProvider time, ILogger<FinishCrawl> log)
{
    /// <summary>
    /// Records that a started crawl ended (<see cref="CrawlInfo.Completed"/> or <see cref="CrawlInfo.Failed"/>, here or when the
    /// stall check gives up on it): first its done rows' counters go to the history (a failed crawl keeps those of the
    /// playlists it did record), then the registry records the end. True for the call that made the change.
    /// </summary>
    public async Task<bool> EndAsync(CrawlInfo crawl, string state, string? reason, CrawlTally tally, DateTimeOffset at, CancellationToken ct)
    {
        if (tally.Counts.Values.Sum(c => c.Done) > 0) await history.RecordCrawlAsync(crawl.CrawlId, crawl.Categories, state, ct);
        return await crawls.EndAsync(crawl.CrawlId, state, reason, tally, at, ct);
    }

    /// <summary>
    /// A crawl registered before categories were checked may name one that is not a name (a line break, a NUL, 5,000
    /// characters): its work cannot be read, sent or judged. Such a crawl is ended <c>failed</c> with the reason, without
    /// touching its items, by the one call that makes the change (the registry's transaction), which logs it once. True when
    /// the crawl names such a category, whoever ended it: the caller sends none of its work.
    /// </summary>
    public async Task<bool> EndIfNotNamesAsync(CrawlInfo crawl, CancellationToken ct)
    {
        if (CategoryNames.ProblemOf(crawl.Categories, int.MaxValue, "categories") is not { } problem) return false;
        var reason = $"not crawled: {problem}";
        var now = time.GetUtcNow();
        if (await crawls.EndAsync(crawl.CrawlId, CrawlInfo.Failed, reason, new CrawlTally(new Dictionary<string, CategoryCounts>(StringComparer.Ordinal), 0, 0, 0), now, ct))
        {
            log.LogError("Crawl {CrawlId} failed: {Reason}", crawl.CrawlId, reason);
            await progress.SignalAsync(crawl.CrawlId, ProgressEvent.CrawlFailed(reason, now), ct);
        }
        return true;
    }

    /// <summary>Ends the crawl when it has no open work; true when this call ended it.</summary>
    public async Task<bool> RunAsync(string crawlId, CancellationToken ct)
    {
        if (await items.HasOpenWorkAsync(crawlId, ct)) return false;
        if (await crawls.GetAsync(crawlId, ct) is not { State: CrawlInfo.Started } crawl) return false;
        var tally = await items.TallyAsync(crawlId, ct);
        // Open rows are written before the crawl is registered; a category without a plan has not been read at all.
        if (crawl.Categories.Any(c => tally.Counts.GetValueOrDefault(c)?.PagesTotal is null))
        {
            log.LogError("Crawl {CrawlId} has no open work but categories without a plan: not ended", crawlId);
            return false;
        }
        // Gone: listed by the category's previous completed crawl of this site, in none of this crawl's lists.
        foreach (var (category, gone) in await previous.CountGoneAsync(crawl, tally, ct))
            tally.Counts[category].Gone = gone;
        var now = time.GetUtcNow();
        var reason = tally.FailedReason;
        if (!await EndAsync(crawl, reason is null ? CrawlInfo.Completed : CrawlInfo.Failed, reason, tally, now, ct)) return false;
        await progress.SignalAsync(crawlId, ProgressEvent.Ended(tally.Counts, tally.CoversStored, tally.CoverBytes, tally.CoversMissing, reason, now), ct);
        using var scope = log.BeginCrawlScope(crawlId);
        var all = tally.Counts.Values;
        if (reason is null)
            log.LogInformation("Crawl {CrawlId} completed: {Done} playlists ({Refreshed} from the lists, {Detailed} in detail, {New} new, {Gone} gone), {Skipped} skipped, {Failed} failed, {Pages} list pages",
                crawlId, all.Sum(c => c.Done), all.Sum(c => c.Refreshed), all.Sum(c => c.Detailed), all.Sum(c => c.New), all.Sum(c => c.Gone),
                all.Sum(c => c.Skipped), all.Sum(c => c.Failed), all.Sum(c => c.PagesDone + c.PagesFailed));
        else log.LogError("Crawl {CrawlId} failed: {Reason}", crawlId, reason);
        return true;
    }
}
