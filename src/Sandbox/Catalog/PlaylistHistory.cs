namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>What of a playlist changes from day to day; the rest (texts, tags, creator, creation) never does.</summary>
internal readonly record struct PlaylistState(
    int TrackCount,
    long PlayCount,
    long SubscribedCount,
    long ShareCount,
    long CommentCount,
    DateTimeOffset UpdatedAt,
    DateTimeOffset TracksUpdatedAt,
    int CoverVersion,
    bool Deleted);

/// <summary>A change of a playlist's track count on one day: <paramref name="Delta"/> tracks added (or removed, when negative) at <paramref name="At"/>.</summary>
internal readonly record struct TrackChange(int Day, int Delta, DateTimeOffset At);

/// <summary>
/// Moves one playlist forward day by day, each day's changes drawn from (seed, id, day) alone: O(days) cheap steps
/// (one hash and a few draws each), so a playlist on day d is the same whichever day was asked before.
/// </summary>
internal static class PlaylistHistory
{
    private const int SecondsPerDay = 86_400;
    // Daily growth is bounded, so ten years of it cannot overflow 64 bits (2·10^10 + 3650 × 10^7 ≪ 2^63).
    private const long MaxDailyPlays = 10_000_000;
    private const int MaxTracks = 10_000;

    /// <summary>The state on <paramref name="toDay"/> of a playlist that was <paramref name="state"/> on <paramref name="fromDay"/>.</summary>
    /// <param name="deletable">Only ordinary playlists are ever deleted, so every category keeps its special cases.</param>
    /// <param name="trackChanges">When given, each day's change of the track count is added to it, oldest first.</param>
    public static PlaylistState Advance(
        int seed, long id, bool deletable, PlaylistState state, int fromDay, int toDay, List<TrackChange>? trackChanges = null)
    {
        if (state.Deleted || fromDay >= toDay)
            return state;
        var history = StableHash.Of(seed, "day", id);
        for (var day = fromDay + 1; day <= toDay; day++)
        {
            var random = new SeededSequence(StableHash.Mix(history ^ StableHash.Mix((ulong)day)));
            if (deletable && random.Chance(DailyChange.DeleteRate))
                return state with { Deleted = true }; // gone for good: nothing after matters
            var tracksBefore = state.TrackCount;
            state = Step(state, day, random);
            if (trackChanges is not null && state.TrackCount != tracksBefore)
                trackChanges.Add(new TrackChange(day, state.TrackCount - tracksBefore, state.TracksUpdatedAt));
        }
        return state;
    }

    private static PlaylistState Step(PlaylistState state, int day, SeededSequence random)
    {
        var at = DailyChange.At(day, random.Next(SecondsPerDay));
        // Counts only grow: plays by 0.1–3 % (bounded) plus a little every day, the others by a little or nothing.
        var plays = Math.Min((long)(state.PlayCount * (0.001 + 0.029 * random.NextDouble())), MaxDailyPlays) + random.Next(1, 100);
        state = state with
        {
            PlayCount = state.PlayCount + plays,
            SubscribedCount = state.SubscribedCount + random.Next(0, 2 + Math.Min(state.SubscribedCount / 1_000, 500)),
            ShareCount = state.ShareCount + random.Next(0, 2 + Math.Min(state.ShareCount / 2_000, 100)),
            CommentCount = state.CommentCount + random.Next(0, 2 + Math.Min(state.CommentCount / 1_000, 100)),
        };
        if (random.Chance(DailyChange.TrackChangeRate))
        {
            var change = (int)random.Next(1, 6);
            var tracks = random.Chance(0.5) ? state.TrackCount + change : state.TrackCount - change;
            if (tracks < 1 || tracks > MaxTracks)
                tracks = state.TrackCount + (tracks < 1 ? change : -change);
            state = state with { TrackCount = tracks, TracksUpdatedAt = at, UpdatedAt = at };
        }
        if (random.Chance(DailyChange.CoverChangeRate))
            state = state with { CoverVersion = state.CoverVersion + 1, UpdatedAt = at };
        return state;
    }

    /// <summary>A playlist first listed on <paramref name="day"/>: made that day, small counts, not yet changed.</summary>
    public static PlaylistState Newborn(int seed, long id, int day)
    {
        var random = new SeededSequence(StableHash.Of(seed, "newborn", id));
        var created = DailyChange.At(day, random.Next(SecondsPerDay));
        return new PlaylistState(
            TrackCount: (int)random.Next(1, 60),
            PlayCount: random.Next(0, 2_000),
            SubscribedCount: random.Next(0, 30),
            ShareCount: random.Next(0, 5),
            CommentCount: random.Next(0, 10),
            UpdatedAt: created,
            TracksUpdatedAt: created,
            CoverVersion: 0,
            Deleted: false);
    }
}
