using FunctionsCrawler.Configuration;
using FunctionsCrawler.Logging;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The periodic check behind "nothing stays in flight forever": an unfinished crawl that is not
/// paused and has not moved for <c>Crawler__StallSeconds</c> gets its unfinished work sent again. One that
/// has been sent again <see cref="MaxStalledResumes"/> times without moving cannot go on: it is marked failed.
/// A completed, failed or cancelled crawl is never revived.
/// </summary>
public sealed class ResumeStalledCrawls(CrawlTable crawls, ICrawlProgressSink progress, ResumeCrawl resume,
    IOptions<CrawlerOptions> options, TimeProvider time, ILogger<ResumeStalledCrawls> log)
{
    /// <summary>Crawls started longer ago than this are not looked at (a crawl abandoned for good stays so).</summary>
    private static readonly TimeSpan LookBack = TimeSpan.FromDays(7);
    public const int MaxStalledResumes = 3;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var stallAfter = TimeSpan.FromSeconds(options.Value.StallSeconds);
        var resumed = 0;
        foreach (var crawl in await crawls.ListSinceAsync(now - LookBack, ct))
        {
            if (crawl.IsCancelled) continue;
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
            if (CrawlStates.IsFinished(CrawlQueries.WithRegistryState(crawl, state.Snapshot(now)).State)) continue;
            using var scope = log.BeginCrawlScope(crawl.CrawlId);
            if (state.StalledResumes >= MaxStalledResumes)
            {
                var reason = $"no progress after its unfinished work was sent again {state.StalledResumes} times"
                             + (state.RecentErrors.Count > 0 ? $"; last error: {state.RecentErrors[^1].Message}" : "");
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
