using FunctionsCrawler.Configuration;
using FunctionsCrawler.Functions.Status;
using FunctionsCrawler.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsCrawler.Functions.Triggers;

/// <summary>The producer on a timer (<c>Crawler__Schedule</c>): starts a crawl of the configured categories (skipped while an unfinished crawl covers one).</summary>
public sealed class StartCrawlOnSchedule(StartCrawl startCrawl, DurableClients clients)
{
    [Function(nameof(StartCrawlOnSchedule))]
    public async Task Run([TimerTrigger(CrawlSchedules.Producer)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        clients.Keep(durable);
        await startCrawl.RunOnScheduleAsync(ct);
    }
}
