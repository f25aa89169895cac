
namespace FunctionsCrawler.NetEase;

/// <summary>
/// The request schedule every process crawling a site shares, one per politeness group: each claim takes
/// the next <c>turns</c> free slots, <c>spacing</c> apart, and returns when the first one is. A next free slot past
/// <c>notAfter</c> is further ahead than any queue of processes could push it (a clock running ahead wrote it, or the
/// row is corrupt): the claim treats the schedule as free from <c>notBefore</c> and writes over it.
/// </summary>
public interface ITurnSchedule
{
    /// <summary>
    /// Claims <paramref name="turns"/> consecutive slots <paramref name="spacing"/> apart, starting at the schedule's
    /// next free slot or at <paramref name="notBefore"/>, whichever is later; returns the first slot (UTC). A next free
    /// slot past <paramref name="notAfter"/> is not trusted: the claim starts at <paramref name="notBefore"/>.
    /// </summary>
    Task<DateTimeOffset> ClaimAsync(string group, int turns, TimeSpan spacing, DateTimeOffset notBefore, DateTimeOffset notAfter, CancellationToken ct);
}

/// <summary>A schedule in this process only, for tests and for hosts that share nothing.</summary>
public sealed class InProcessTurnSchedule : ITurnSchedule
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);

    public Task<DateTimeOffset> ClaimAsync(string group, int turns, TimeSpan spacing, DateTimeOffset notBefore, DateTimeOffset notAfter, CancellationToken ct)
    {
        lock (_gate)
        {
            var next = _next.GetValueOrDefault(group);
            var start = next > notAfter.UtcTicks ? notBefore.UtcTicks : Math.Max(next, notBefore.UtcTicks);
            _next[group] = start + turns * spacing.Ticks;
            return Task.FromResult(new DateTimeOffset(start, TimeSpan.Zero));
        }
    }
}
