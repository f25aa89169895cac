using FunctionsCrawler.Configuration;
using FunctionsCrawler.Functions.Status;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsCrawler.Functions.Triggers;

/// <summary>The retention clean-up on a timer (<c>Crawler__CleanupSchedule</c>): deletes what crawls older than <c>Crawler__RetentionDays</c> left.</summary>
public sealed class CleanUpOldCrawls(Pipeline.CleanUpOldCrawls cleanUp, DurableClients clients)
{
    [Function(nameof(CleanUpOldCrawls))]
    public async Task Run([TimerTrigger(CrawlSchedules.CleanUp)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        clients.Keep(durable);
        await cleanUp.RunAsync(ct);
    }
}
