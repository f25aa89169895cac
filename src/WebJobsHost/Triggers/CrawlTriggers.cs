using FunctionsCrawler.Hosting;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Storage;
using Microsoft.Azure.WebJobs;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>The producer, the two consumers and the two housekeeping timers: bind, call one pipeline step.</summary>
public sealed class CrawlTriggers(StartCrawl startCrawl, ResumeStalledCrawls resumeStalled, CleanUpOldCrawls cleanUp, ScrapeListPage scrapeListPage, ScrapePlaylist scrapePlaylist,
    HostJson hostJson)
{
    // No schedule monitor: a local host that was off at 03:00 should not start a crawl the moment ./run.sh starts it.
    [FunctionName("StartCrawlOnSchedule")]
    public Task StartOnSchedule([TimerTrigger("%Crawler:Schedule%", UseMonitor = false)] TimerInfo timer, CancellationToken ct) =>
        startCrawl.RunOnScheduleAsync(ct);

    [FunctionName("ResumeStalledCrawls")]
    public Task ResumeStalled([TimerTrigger("%Crawler:ResumeSchedule%", UseMonitor = false)] TimerInfo timer, CancellationToken ct) =>
        resumeStalled.RunAsync(ct);

    [FunctionName("CleanUpOldCrawls")]
    public Task CleanUp([TimerTrigger("%Crawler:CleanupSchedule%", UseMonitor = false)] TimerInfo timer, CancellationToken ct) =>
        cleanUp.RunAsync(ct);

    [FunctionName("ScrapeListPage")]
    public Task ScrapeListPage([QueueTrigger(CrawlQueues.Pages)] string message, long dequeueCount, CancellationToken ct) =>
        scrapeListPage.RunAsync(CrawlQueues.Read<PageWork>(message), Delivery.Of(hostJson, dequeueCount), ct);

    [FunctionName("ScrapePlaylist")]
    public Task ScrapePlaylist([QueueTrigger(CrawlQueues.Playlists)] string message, long dequeueCount, CancellationToken ct) =>
        scrapePlaylist.RunAsync(CrawlQueues.Read<PlaylistWork>(message), Delivery.Of(hostJson, dequeueCount), ct);
}
