using System.Collections.Concurrent;
using FunctionsCrawler.Pipeline;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// Spaces the requests to each host at least <c>1 / rate</c> apart, in this process, so no second
/// (bursts included) sees more than the limit. The rate follows <see cref="SitePushback.RateFactor"/>
/// after a block, which is why this is a small pacer rather than a fixed-rate
/// System.Threading.RateLimiting limiter (whose rate cannot change once built).
/// </summary>
public sealed class HostRateLimiter(double requestsPerSecond, SitePushback pushback, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Turns> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public double RequestsPerSecond { get; } = requestsPerSecond;

    /// <summary>Waits for this request's turn on the host.</summary>
    public async ValueTask WaitTurnAsync(string host, CancellationToken ct)
    {
        var turns = _hosts.GetOrAdd(host, _ => new Turns());
        // 1 % slack: a request's arrival at the server can lag its departure by a little.
        var interval = TimeSpan.FromSeconds(1.01 / (RequestsPerSecond * pushback.RateFactor()));
        // One request at a time takes its turn, and the next turn counts from when this one really
        // left: a timer that fires late can never squeeze two requests closer than the interval.
        await turns.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var wait = time.GetElapsedTime(time.GetTimestamp(), turns.Next);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct).ConfigureAwait(false);
            turns.Next = time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency);
        }
        finally
        {
            turns.Gate.Release();
        }
    }

    private sealed class Turns
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public long Next;
    }
}

/// <summary>
/// Waits for the host's turn before each request. It sits inside the resilience pipeline,
/// so every attempt, retries included, waits its turn.
/// </summary>
public sealed class HostRateLimitHandler(HostRateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await limiter.WaitTurnAsync(request.RequestUri?.Authority ?? "", cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
