
namespace FunctionsCrawler.NetEase;

/// <summary>
/// The request schedule every process crawling a site shares, one per politeness group: each claim takes
/// the next <c>turns</c> free slots, <c>spacing</c> apart, and returns when the first one is.
/// </summary>
public interface ITurnSchedule
{
    /// <summary>
    /// Claims <paramref name="turns"/> consecutive slots <paramref name="spacing"/> apart, starting at the schedule's
    /// next free slot or at <paramref name="notBefore"/>, whichever is later; returns the first slot (UTC).
    /// </summary>
    Task<DateTimeOffset> ClaimAsync(string group, int turns, TimeSpan spacing, DateTimeOffset notBefore, CancellationToken ct);
}

/// <summary>A schedule in this process only, for tests and for hosts that share nothing.</summary>
public sealed class InProcessTurnSchedule : ITurnSchedule
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);

    public Task<DateTimeOffset> ClaimAsync(string group, int turns, TimeSpan spacing, DateTimeOffset notBefore, CancellationToken ct)
    {
        lock (_gate)
        {
            var start = Math.Max(_next.GetValueOrDefault(group), notBefore.UtcTicks);
            _next[group] = start + turns * spacing.Ticks;
            return Task.FromResult(new DateTimeOffset(start, TimeSpan.Zero));
        }
    }
}
