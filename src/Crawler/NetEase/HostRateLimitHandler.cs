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
    // A little slack on each interval: a request's arrival at the server can lag its send time.
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(2);
    private readonly ConcurrentDictionary<string, Slot> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public double RequestsPerSecond { get; } = requestsPerSecond;

    /// <summary>Waits for this request's turn on the host.</summary>
    public async ValueTask WaitTurnAsync(string host, CancellationToken ct)
    {
        var slot = _hosts.GetOrAdd(host, _ => new Slot());
        var interval = TimeSpan.FromSeconds(1 / (RequestsPerSecond * pushback.RateFactor())) + Slack;
        TimeSpan wait;
        lock (slot)
        {
            var now = time.GetTimestamp();
            var turn = Math.Max(now, slot.Next);
            slot.Next = turn + (long)(interval.TotalSeconds * time.TimestampFrequency);
            wait = time.GetElapsedTime(now, turn);
        }
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct).ConfigureAwait(false);
    }

    private sealed class Slot
    {
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
