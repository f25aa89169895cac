using FunctionsCrawler.Progress;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>The Durable entity that keeps one crawl's <see cref="CrawlProgress"/> (key: the crawl id).</summary>
public static class CrawlStatusEntity
{
    public const string Name = "CrawlStatus";
    public const string Apply = "apply";
    public const string ApplyAll = "applyAll";

    [FunctionName(Name)]
    public static void Run([EntityTrigger] IDurableEntityContext context)
    {
        var progress = context.GetState(() => new CrawlProgress());
        switch (context.OperationName)
        {
            case Apply: progress.Apply(context.GetInput<ProgressEvent>()); break;
            case ApplyAll: progress.ApplyAll(context.GetInput<List<ProgressEvent>>()); break;
            default: throw new InvalidOperationException($"CrawlStatus has no operation '{context.OperationName}'.");
        }
        context.SetState(progress);
    }
}
