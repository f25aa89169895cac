using FunctionsCrawler.Progress;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;

namespace FunctionsCrawler.Functions.Status;

/// <summary>
/// The Durable entity that keeps one crawl's <see cref="CrawlProgress"/> (key: the crawl id). Its operations
/// are <c>apply</c> and <c>applyAll</c> (a batch): operation names match public methods case-insensitively.
/// </summary>
public sealed class CrawlStatusEntity : TaskEntity<CrawlProgress>
{
    public const string Name = "CrawlStatus";
    public const string ApplyOperation = "apply";
    public const string ApplyAllOperation = "applyAll";

    public void Apply(ProgressEvent progressEvent) => State.Apply(progressEvent);

    /// <summary>Several events in one operation (what a batching sink sends).</summary>
    public void ApplyAll(List<ProgressEvent> progressEvents) => State.ApplyAll(progressEvents);

    protected override CrawlProgress InitializeState(TaskEntityOperation entityOperation) => new();

    [Function(Name)]
    public static Task CrawlStatus([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<CrawlStatusEntity>();
}
