namespace FunctionsCrawler.Progress;

/// <summary>The states a crawl's status reports; the last three are final.</summary>
public static class CrawlStates
{
    public const string Running = "running", Paused = "paused", Completed = "completed", Failed = "failed", Cancelled = "cancelled";

    /// <summary>Completed, failed or cancelled: nothing more happens to the crawl (unless its failed work is requeued).</summary>
    public static bool IsFinished(string state) => state is Completed or Failed or Cancelled;
}
