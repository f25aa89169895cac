using FunctionsCrawler.Progress;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// What a step does about the site's pushback: whether to fetch now, and what to do on a block.
/// A deferred message goes back to its queue with a visibility delay, so a block never uses up its tries.
/// </summary>
public sealed class Politeness(SitePushback pushback, ICrawlProgressSink progress, TimeProvider time, ILogger<Politeness> log)
{
    /// <summary>The delay to put a message back with, when the crawl is paused; null to fetch now.</summary>
    public TimeSpan? DeferBy() => pushback.PauseRemaining() is { } wait ? wait + Jitter() : null;

    /// <summary>Pauses this process's fetching, tells the status entity, and returns the delay for the blocked message.</summary>
    public async Task<TimeSpan> OnBlockedAsync(string crawlId, string what, string? reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var until = pushback.OnBlocked();
        log.LogWarning("Site pushed back on {What} ({Reason}); pausing until {Until:HH:mm:ss}", what, reason, until);
        await progress.SignalAsync(crawlId, ProgressEvent.Paused(until, $"{reason} ({what})", now), ct);
        return until - now + Jitter();
    }

    // Spread the resumed messages so they don't all wake in the same second.
    private static TimeSpan Jitter() => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 3000));
}
