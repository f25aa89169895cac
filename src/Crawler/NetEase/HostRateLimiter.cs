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

    /// <summary>
    /// The politeness group a request counts against: the image CDN's hosts (p1…p4.music.126.net) are one
    /// group, since the same servers answer them all; any other host (with its port) is its own.
    /// </summary>
    public static string GroupOf(Uri url) =>
        url.Host.EndsWith(CoverHosts.ImageCdnSuffix, StringComparison.OrdinalIgnoreCase) ? CoverHosts.ImageCdnSuffix[1..] : url.Authority;

    /// <summary>5 ms over a second absorbs the lag between a request leaving and arriving at the server.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(1005);

    /// <summary>Waits for this request's turn on the host.</summary>
    public async ValueTask WaitTurnAsync(string host, CancellationToken ct)
    {
        var turns = _hosts.GetOrAdd(host, _ => new Turns());
        var rate = RequestsPerSecond * pushback.RateFactor();
        var ticks = (long)(time.TimestampFrequency / rate);
        var perWindow = (int)Math.Clamp(Math.Floor(rate), 1, 100_000);
        var window = (long)(Window.TotalSeconds * time.TimestampFrequency);
        // One request at a time takes its turn. Turns are evenly spaced on the schedule (a late timer does
        // not push every later turn back), and on the real departure times no window of 1.005 s ever holds
        // more than the limit: that is what the site measures, and it holds however late a timer fires.
        await turns.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var now = time.GetTimestamp();
            var turn = Math.Max(now, turns.Next);
            if (turns.Departures.Count >= perWindow)
                turn = Math.Max(turn, turns.Departures.ElementAt(turns.Departures.Count - perWindow) + window);
            if (turn > now) await Task.Delay(time.GetElapsedTime(now, turn), time, ct).ConfigureAwait(false);
            turns.Departures.Enqueue(time.GetTimestamp());
            while (turns.Departures.Count > perWindow) turns.Departures.Dequeue();
            turns.Next = turn + ticks;
        }
        finally
        {
            turns.Gate.Release();
        }
    }

    private sealed class Turns
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public readonly Queue<long> Departures = new();
        public long Next;
    }
}
