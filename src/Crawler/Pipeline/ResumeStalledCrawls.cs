using FunctionsCrawler.Configuration;
using FunctionsCrawler.Logging;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The periodic check behind "nothing stays in flight forever", over this site's unfinished crawls: one whose item table
/// has no open work left is ended (a lost message or signal cannot keep it running); one that is not paused and has not
/// moved for <c>Crawler__StallSeconds</c> gets its unfinished work sent again. One that has been sent again
/// <see cref="MaxStalledResumes"/> times without moving cannot go on: it is marked failed. A crawl of another site is
/// never sent to this one, and a completed, failed or cancelled crawl is never revived.
/// </summary>
public sealed class ResumeStalledCrawls(CrawlQueries queries, CrawlItemTable items, ICrawlProgressSink progress, ResumeCrawl resume,
    FinishCrawl finish, IOptions<CrawlerOptions> options, TimeProvider time, ILogger<ResumeStalledCrawls> log)
{
    /// <summary>Crawls started longer ago than this are not looked at (a crawl abandoned for good stays so).</summary>
    private static readonly TimeSpan LookBack = TimeSpan.FromDays(7);
    public const int MaxStalledResumes = 3;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var stallAfter = TimeSpan.FromSeconds(options.Value.StallSeconds);
        var resumed = 0;
        foreach (var crawl in await queries.UnfinishedAsync(ct))
        {
            if (crawl.StartedAt < now - LookBack) continue;
            if (await finish.EndIfNotNamesAsync(crawl, ct)) continue;
            if (await finish.RunAsync(crawl.CrawlId, ct)) continue;
            CrawlProgress? state;
            try
            {
                state = await progress.ReadAsync(crawl.CrawlId, ct);
            }
            catch (ProgressUnavailableException e)
            {
                // One entity that does not answer must not keep the others from being resumed: the next check looks again.
                log.LogWarning("Stall check skipped crawl {CrawlId}: {Error}", crawl.CrawlId, e.Reason);
                continue;
            }
            if (state is null || !state.IsStalled(now, stallAfter)) continue;
            using var scope = log.BeginCrawlScope(crawl.CrawlId);
            if (state.StalledResumes >= MaxStalledResumes)
            {
                var reason = $"no progress after its unfinished work was sent again {state.StalledResumes} times"
                             + (state.RecentErrors.Count > 0 ? $"; last error: {state.RecentErrors[^1].Message}" : "");
                if (!await finish.EndAsync(crawl, CrawlInfo.Failed, reason, await items.TallyAsync(crawl.CrawlId, ct), now, ct)) continue;
                log.LogError("Crawl {CrawlId} failed: {Reason}", crawl.CrawlId, reason);
                await progress.SignalAsync(crawl.CrawlId, ProgressEvent.CrawlFailed(reason, now), ct);
                continue;
            }
            log.LogWarning("Crawl {CrawlId} made no progress since {Last:HH:mm:ss}: sending its unfinished work again", crawl.CrawlId, state.LastProgressAt);
            await resume.RunAsync(crawl, ct);
            await progress.SignalAsync(crawl.CrawlId, ProgressEvent.Resumed(now), ct);
            resumed++;
        }
        return resumed;
    }
}
