using FunctionsCrawler.Hosting;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// How a queue message is being handled: which try this is, out of how many, and how long the queue waits before
/// the next try of a failed message (host.json's <c>visibilityTimeout</c>), for work a step retries itself.
/// </summary>
public readonly record struct Delivery(long DequeueCount, int MaxDequeueCount, TimeSpan RetryDelay = default)
{
    /// <summary>After this try fails, the queue moves the message to its poison queue.</summary>
    public bool IsLastTry => DequeueCount >= MaxDequeueCount;

    /// <summary>The delivery of a message the host has dequeued <paramref name="dequeueCount"/> times, with host.json's queue settings.</summary>
    public static Delivery Of(HostJson hostJson, long dequeueCount) => new(dequeueCount, hostJson.MaxDequeueCount, hostJson.RetryDelay);
}
