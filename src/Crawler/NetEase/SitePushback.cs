using FunctionsCrawler.Configuration;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// The site's pushback as this process sees it. A block pauses all fetching until the pause ends; each
/// new block doubles the pause (30 s, 1 min, 2 min, … capped at 30 min) and halves the request rate;
/// after the pause the rate climbs back by a small step each second (multiplicative decrease,
/// additive increase). A quiet spell resets the pause length.
/// </summary>
public sealed class SitePushback(IOptions<NetEaseOptions> options, TimeProvider time)
{
    public static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(30);
    public const double MinRateFactor = 0.1;
    /// <summary>Share of the configured rate regained per second after a pause.</summary>
    public const double RecoveryPerSecond = 0.01;
    private static readonly TimeSpan ResetAfter = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private readonly TimeSpan _firstPause = TimeSpan.FromSeconds(options.Value.BlockPauseSeconds);
    private DateTimeOffset _pausedUntil;
    private DateTimeOffset _lastBlock;
    private int _level;
    private double _floor = 1;

    /// <summary>How long to wait before fetching again, or null when fetching is allowed.</summary>
    public TimeSpan? PauseRemaining()
    {
        var now = time.GetUtcNow();
        lock (_gate) return _pausedUntil > now ? _pausedUntil - now : null;
    }

    /// <summary>When the current pause ends, or null when fetching is allowed.</summary>
    public DateTimeOffset? PausedUntil()
    {
        var now = time.GetUtcNow();
        lock (_gate) return _pausedUntil > now ? _pausedUntil : null;
    }

    /// <summary>
    /// Records a block and returns when fetching may resume. Blocks seen during a pause do not extend it,
    /// unless their own <c>Retry-After</c> ends later.
    /// A <c>Retry-After</c> the site sent sets the pause's length (capped at <see cref="MaxPause"/>, since it is
    /// page content like any other); without one the pause grows with each block.
    /// </summary>
    public DateTimeOffset OnBlocked(TimeSpan? retryAfter = null)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var asked = retryAfter is { } wait ? TimeSpan.FromTicks(Math.Clamp(wait.Ticks, TimeSpan.TicksPerSecond, MaxPause.Ticks)) : (TimeSpan?)null;
            if (_pausedUntil > now)
            {
                // A request already in flight when the pause began: its own Retry-After still holds for it.
                if (asked is { } own && now + own > _pausedUntil) _pausedUntil = now + own;
                return _pausedUntil;
            }
            _floor = Math.Max(MinRateFactor, RateFactorAt(now) / 2);
            if (now - _lastBlock > ResetAfter + Pause(_level)) _level = 0;
            _level++;
            _lastBlock = now;
            _pausedUntil = now + (asked ?? Pause(_level));
            return _pausedUntil;
        }
    }

    /// <summary>Adopts a pause another instance announced (through the status entity).</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (_gate)
        {
            if (until <= _pausedUntil) return;
            _floor = Math.Max(MinRateFactor, RateFactorAt(time.GetUtcNow()) / 2);
            _pausedUntil = until;
        }
    }

    /// <summary>The share (0.1–1) of the configured request rate to use now.</summary>
    public double RateFactor()
    {
        var now = time.GetUtcNow();
        lock (_gate) return RateFactorAt(now);
    }

    private double RateFactorAt(DateTimeOffset now) =>
        _floor >= 1 || now <= _pausedUntil ? _floor
        : Math.Min(1, _floor + RecoveryPerSecond * (now - _pausedUntil).TotalSeconds);

    public TimeSpan Pause(int level) =>
        level <= 0 ? TimeSpan.Zero
        : TimeSpan.FromTicks(Math.Min(MaxPause.Ticks, _firstPause.Ticks * (1L << Math.Min(level - 1, 20))));
}
