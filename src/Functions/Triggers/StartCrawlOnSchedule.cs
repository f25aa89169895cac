using FunctionsCrawler.Configuration;
using FunctionsCrawler.Functions.Status;
using FunctionsCrawler.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Functions.Triggers;

/// <summary>The producer on a timer (<c>Crawler__Schedule</c>): starts a crawl of the configured categories.</summary>
public sealed class StartCrawlOnSchedule(StartCrawl startCrawl, IOptions<CrawlerOptions> crawler)
{
    [Function(nameof(StartCrawlOnSchedule))]
    public async Task Run([TimerTrigger("%Crawler:Schedule%")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        using var _ = DurableProgressSink.Use(durable);
        await startCrawl.RunAsync(crawler.Value.CategoryList, crawler.Value.MaxPages, "timer", ct);
    }
}
