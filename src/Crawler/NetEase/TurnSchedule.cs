
namespace FunctionsCrawler.NetEase;

/// <summary>
/// The request schedule every process crawling a site shares, one per politeness group: each claim takes
/// the next <c>turns</c> free slots, <c>spacing</c> apart, and returns when the first one is. A next free slot past
/// <c>notAfter</c> is further ahead than any queue of processes could push it (a clock running ahead wrote it, or the
/// row is corrupt): the claim treats the schedule as free from <c>notBefore</c> and writes over it.
/// The schedule also carries the group's pause: a process that meets a block announces it, and every process reads it
/// before each departure, so none sends into a block another has seen.
/// </summary>
public interface ITurnSchedule
{
    /// <summary>
    /// Claims <paramref name="turns"/> consecutive slots <paramref name="spacing"/> apart, starting at the schedule's
    /// next free slot or at <paramref name="notBefore"/>, whichever is later; returns the first slot (UTC). A next free
    /// slot past <paramref name="notAfter"/> is not trusted: the claim starts at <paramref name="notBefore"/>.
    /// </summary>
    Task<DateTimeOffset> ClaimAsync(string group, int turns, TimeSpan spacing, DateTimeOffset notBefore, DateTimeOffset notAfter, CancellationToken ct);

    /// <summary>Until when the group is paused, as last announced (a past time, or null, when it is not).</summary>
    Task<DateTimeOffset?> ReadPauseAsync(string group, CancellationToken ct);

    /// <summary>Announces that the group is paused until <paramref name="until"/>, unless a later pause is already announced.</summary>
    Task AnnouncePauseAsync(string group, DateTimeOffset until, CancellationToken ct);
}

/// <summary>A schedule in this process only, for tests and for hosts that share nothing.</summary>
public sealed class InProcessTurnSchedule : ITurnSchedule
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _paused = new(StringComparer.Ordinal);

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

    public Task<DateTimeOffset?> ReadPauseAsync(string group, CancellationToken ct)
    {
        lock (_gate) return Task.FromResult(_paused.TryGetValue(group, out var until) ? until : (DateTimeOffset?)null);
    }

    public Task AnnouncePauseAsync(string group, DateTimeOffset until, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_paused.TryGetValue(group, out var known) || until > known) _paused[group] = until;
        }
        return Task.CompletedTask;
    }
}
