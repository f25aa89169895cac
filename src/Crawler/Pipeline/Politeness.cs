using FunctionsCrawler.NetEase;
using System.Collections.Concurrent;
using FunctionsCrawler.Progress;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// What a step does about the site's pushback: whether to fetch now, and what to do on a block.
/// A pause is shared through the crawl's status entity, so every instance stops together; a deferred
/// message goes back to its queue with a visibility delay, so a block never uses up its tries.
/// </summary>
public sealed class Politeness(SitePushback pushback, HostRateLimiter pacer, ICrawlProgressSink progress, TimeProvider time, ILogger<Politeness> log)
{
    /// <summary>How often an instance looks at the entity for a pause another instance announced.</summary>
    private static readonly TimeSpan SharedPauseCheck = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _checkedAt = new(StringComparer.Ordinal);

    /// <summary>The delay to put a message back with while the crawl is paused; null to fetch now.</summary>
    public async Task<TimeSpan?> DeferByAsync(string crawlId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!_checkedAt.TryGetValue(crawlId, out var last) || now - last >= SharedPauseCheck)
        {
            _checkedAt[crawlId] = now;
            try
            {
                if ((await progress.ReadAsync(crawlId, ct))?.PausedUntil is { } until && until > now) pushback.PauseUntil(until);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed status read is no reason to fail this message: keep this process's own view of the pause.
                log.LogWarning("Could not read the shared pause of crawl {CrawlId}: {Error}", crawlId, e.Message);
            }
        }
        return pushback.PauseRemaining() is { } wait ? wait + Jitter(wait) : null;
    }

    /// <summary>
    /// Pauses this process's fetching, tells the other processes (the shared pacer, then the status entity), and returns
    /// the delay for the blocked message. A <paramref name="held"/> request was never sent (the crawl was already paused at
    /// its turn): it only waits out the pause, without a line or a signal.
    /// </summary>
    public async Task<TimeSpan> OnBlockedAsync(string crawlId, string what, string? reason, TimeSpan? retryAfter, CancellationToken ct, bool held = false)
    {
        var now = time.GetUtcNow();
        if (held)
        {
            var left = pushback.PausedUntil() is { } pausedUntil ? pausedUntil - now : retryAfter ?? TimeSpan.Zero;
            return left + Jitter(left);
        }
        var until = pushback.OnBlocked(retryAfter);
        try
        {
            await pacer.AnnouncePauseAsync(until, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The entity still carries the pause to the others, a few seconds later.
            log.LogWarning("Could not announce the pause on the shared pacer: {Error}", e.Message);
        }
        if (retryAfter is { } asked) reason = $"{reason}, Retry-After {asked.TotalSeconds:0} s";
        log.LogWarning("Site pushed back on {What} ({Reason}); pausing until {Until:HH:mm:ss}", what, reason, until);
        await progress.SignalAsync(crawlId, ProgressEvent.Paused(until, $"{reason} ({what})", now), ct);
        return until - now + Jitter(until - now);
    }

    /// <summary>
    /// Spreads the resumed messages so they don't all wake in the same second: by up to a quarter of the pause, at most
    /// 3 s. The pacer spaces their requests anyway; a 2-second pause is not stretched to 5.
    /// </summary>
    private static TimeSpan Jitter(TimeSpan pause) =>
        TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Clamp(pause.TotalMilliseconds / 4, 0, 3000));
}
