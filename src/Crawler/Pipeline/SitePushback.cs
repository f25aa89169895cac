namespace FunctionsCrawler.Pipeline;

/// <summary>
/// When the site answers with a block, every consumer in this process stops fetching until the pause
/// ends. Each new block doubles the pause (30 s, 1 min, 2 min, … capped at 30 min); a quiet spell
/// after the pause resets it.
/// </summary>
public sealed class SitePushback(TimeProvider time)
{
    public static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan ResetAfter = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private DateTimeOffset _pausedUntil;
    private DateTimeOffset _lastBlock;
    private int _level;

    /// <summary>How long to wait before fetching again, or null when fetching is allowed.</summary>
    public TimeSpan? PauseRemaining()
    {
        var now = time.GetUtcNow();
        lock (_gate) return _pausedUntil > now ? _pausedUntil - now : null;
    }

    /// <summary>Records a block and returns when fetching may resume. Blocks seen during a pause do not extend it.</summary>
    public DateTimeOffset OnBlocked()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_pausedUntil > now) return _pausedUntil;
            if (now - _lastBlock > ResetAfter + Pause(_level)) _level = 0;
            _level++;
            _lastBlock = now;
            _pausedUntil = now + Pause(_level);
            return _pausedUntil;
        }
    }

    /// <summary>Adopts a pause another instance announced (through the status entity).</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (_gate) if (until > _pausedUntil) _pausedUntil = until;
    }

    public static TimeSpan Pause(int level) =>
        level <= 0 ? TimeSpan.Zero
        : TimeSpan.FromTicks(Math.Min(MaxPause.Ticks, FirstPause.Ticks * (1L << Math.Min(level - 1, 20))));
}
