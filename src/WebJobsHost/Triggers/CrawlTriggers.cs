using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Storage;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>The producer and the two consumers: bind, call one pipeline step.</summary>
public sealed class CrawlTriggers(StartCrawl startCrawl, ResumeStalledCrawls resumeStalled, ScrapeListPage scrapeListPage, ScrapePlaylist scrapePlaylist,
    IOptions<QueuesOptions> queues)
{
    // No schedule monitor: a local host that was off at 03:00 should not start a crawl the moment ./run.sh starts it.
    [FunctionName("StartCrawlOnSchedule")]
    public Task StartOnSchedule([TimerTrigger("%Crawler:Schedule%", UseMonitor = false)] TimerInfo timer, CancellationToken ct) =>
        startCrawl.RunOnScheduleAsync(ct);

    [FunctionName("ResumeStalledCrawls")]
    public Task ResumeStalled([TimerTrigger("%Crawler:ResumeSchedule%", UseMonitor = false)] TimerInfo timer, CancellationToken ct) =>
        resumeStalled.RunAsync(ct);

    [FunctionName("ScrapeListPage")]
    public Task ScrapeListPage([QueueTrigger(CrawlQueues.Pages)] string message, long dequeueCount, CancellationToken ct) =>
        scrapeListPage.RunAsync(CrawlQueues.Read<PageWork>(message), new Delivery(dequeueCount, queues.Value.MaxDequeueCount), ct);

    [FunctionName("ScrapePlaylist")]
    public Task ScrapePlaylist([QueueTrigger(CrawlQueues.Playlists)] string message, long dequeueCount, CancellationToken ct) =>
        scrapePlaylist.RunAsync(CrawlQueues.Read<PlaylistWork>(message), new Delivery(dequeueCount, queues.Value.MaxDequeueCount), ct);
}
