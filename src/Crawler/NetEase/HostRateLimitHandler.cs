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
        var interval = TimeSpan.FromSeconds(1 / (RequestsPerSecond * pushback.RateFactor()));
        var ticks = (long)(interval.TotalSeconds * time.TimestampFrequency);
        // One request at a time takes its turn. The next turn is one interval after this one really
        // left (a timer that fires late can never squeeze two requests closer than the interval), and
        // 1 % after this one's scheduled time (so small lateness does not add up over a crawl); the 1 %
        // also absorbs a little lag between a request's departure and its arrival at the server.
        await turns.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var now = time.GetTimestamp();
            var scheduled = Math.Max(now, turns.Next);
            await WaitUntilAsync(scheduled, ct).ConfigureAwait(false);
            turns.Next = Math.Max(scheduled + ticks + ticks / 100, time.GetTimestamp() + ticks);
        }
        finally
        {
            turns.Gate.Release();
        }
    }

    /// <summary>
    /// Timers fire a millisecond or two late, which at 20 requests a second would waste several percent of
    /// the allowed rate: sleep until just before the turn, then spin the last stretch.
    /// </summary>
    private async ValueTask WaitUntilAsync(long turn, CancellationToken ct)
    {
        var early = TimeSpan.FromMilliseconds(2);
        var wait = time.GetElapsedTime(time.GetTimestamp(), turn);
        if (wait > early) await Task.Delay(wait - early, time, ct).ConfigureAwait(false);
        var spinner = new SpinWait();
        while (time.GetTimestamp() < turn)
        {
            ct.ThrowIfCancellationRequested();
            spinner.SpinOnce(sleep1Threshold: -1); // never Sleep(1): that would be the lateness we avoid
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
