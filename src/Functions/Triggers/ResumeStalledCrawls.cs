using FunctionsCrawler.Configuration;
using FunctionsCrawler.Functions.Status;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsCrawler.Functions.Triggers;

/// <summary>The stall check on a timer (<c>Crawler__ResumeSchedule</c>): sends a stalled crawl's unfinished work again.</summary>
public sealed class ResumeStalledCrawls(Pipeline.ResumeStalledCrawls resumeStalled, DurableClients clients)
{
    [Function(nameof(ResumeStalledCrawls))]
    public async Task Run([TimerTrigger(CrawlSchedules.StallCheck)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        clients.Keep(durable);
        await resumeStalled.RunAsync(ct);
    }
}
