namespace FunctionsCrawler.Pipeline;

/// <summary>A step could not finish its message (malformed page, storage fault): the queue retries it.</summary>
public sealed class CrawlStepException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// How a queue message is being handled: which try this is, out of how many, and how long the queue waits before
/// the next try of a failed message (host.json's <c>visibilityTimeout</c>), for work a step retries itself.
/// </summary>
public readonly record struct Delivery(long DequeueCount, int MaxDequeueCount, TimeSpan RetryDelay = default)
{
    /// <summary>After this try fails, the queue moves the message to its poison queue.</summary>
    public bool IsLastTry => DequeueCount >= MaxDequeueCount;
}
