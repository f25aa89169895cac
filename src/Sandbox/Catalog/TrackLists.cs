namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>
/// A playlist's track list on a day, made from (seed, id) and the days its track count changed: the list of the day it
/// was first listed (distinct songs from the pool, each added between the playlist's creation and its
/// <c>TracksUpdatedAt</c>, the newest exactly then), then each change in turn: songs added at the top (or, for one
/// playlist in five, at the end) at the change's moment, or removed from anywhere. So on every day the list is
/// TrackCount long, but for the <see cref="TrackListShape"/> cases that are one longer or shorter.
/// </summary>
internal static class TrackLists
{
    /// <summary>Share of the ordinary playlists of each special shape (Empty, Large, ListOneLonger, ListOneShorter).</summary>
    public const double ShapeRate = 0.015;

    public const int LargeFrom = 1_200;
    public const int LargeTo = 3_000;

    private const double AddsAtTopRate = 0.8;
    private const int MaxSessions = 12;
    private const long SessionMs = 120_000;

    /// <summary>The shape of an ordinary playlist's list (special slots' playlists are always <see cref="TrackListShape.Ordinary"/>).</summary>
    public static TrackListShape Shape(int seed, long id) =>
        (int)(StableHash.Unit(StableHash.Of(seed, "track-shape", id)) / ShapeRate) switch
        {
            0 => TrackListShape.Empty,
            1 => TrackListShape.Large,
            2 => TrackListShape.ListOneLonger,
            3 => TrackListShape.ListOneShorter,
            _ => TrackListShape.Ordinary,
        };

    /// <summary>The track count the shape imposes on the day the playlist is first listed, or null to keep the drawn one.</summary>
    public static int? FirstCount(int seed, long id, TrackListShape shape) => shape switch
    {
        TrackListShape.Empty => 0,
        TrackListShape.Large => LargeFrom + (int)(StableHash.Of(seed, "long-tracks", id) % (LargeTo - LargeFrom + 1)),
        _ => null,
    };

    /// <summary>How many more tracks the list holds than the count says.</summary>
    public static int Lag(TrackListShape shape) => shape switch
    {
        TrackListShape.ListOneLonger => 1,
        TrackListShape.ListOneShorter => -1,
        _ => 0,
    };

    /// <param name="first">The playlist's state on the day it was first listed.</param>
    /// <param name="changes">Every later day's change of the track count, oldest first.</param>
    public static List<SandboxTrack> Build(int seed, SongPool songs, SandboxPlaylist playlist, PlaylistState first, IReadOnlyList<TrackChange> changes)
    {
        var random = new SeededSequence(StableHash.Of(seed, "tracks", playlist.Id));
        var atTop = random.Chance(AddsAtTopRate);
        var length = Math.Max(0, first.TrackCount + Lag(playlist.TrackShape));
        var taken = new HashSet<long>(length);
        var times = AddedTimes(random, length, playlist.CreatedAt.ToUnixTimeMilliseconds(), first.TracksUpdatedAt.ToUnixTimeMilliseconds());
        var list = new List<SandboxTrack>(length + 8);
        for (var i = 0; i < length; i++)
            list.Add(new SandboxTrack(NewSong(songs, random, taken), DateTimeOffset.FromUnixTimeMilliseconds(times[atTop ? length - 1 - i : i])));

        foreach (var change in changes)
        {
            var today = new SeededSequence(StableHash.Of(seed, "track-change", playlist.Id, change.Day));
            if (change.Delta > 0)
            {
                var added = new SandboxTrack[change.Delta];
                for (var i = 0; i < added.Length; i++)
                    added[i] = new SandboxTrack(NewSong(songs, today, taken), change.At);
                list.InsertRange(atTop ? 0 : list.Count, added);
            }
            else
            {
                for (var i = 0; i < -change.Delta && list.Count > 0; i++)
                {
                    var gone = (int)today.Next(list.Count);
                    taken.Remove(list[gone].SongId);
                    list.RemoveAt(gone);
                }
            }
        }
        return list;
    }

    /// <summary>A song not yet on the list (a playlist holds a song once).</summary>
    private static long NewSong(SongPool songs, SeededSequence random, HashSet<long> taken)
    {
        while (true)
        {
            var id = songs.Id(songs.Draw(random));
            if (taken.Add(id))
                return id;
        }
    }

    /// <summary>
    /// When each track was added, oldest first, in ms: a few sessions between creation and the last change of the tracks
    /// (the last session exactly then), each track up to two minutes before its session's moment but never before creation.
    /// </summary>
    private static long[] AddedTimes(SeededSequence random, int length, long created, long updated)
    {
        var times = new long[length];
        if (length == 0)
            return times;
        var sessions = new long[1 + random.Next(Math.Min(length, MaxSessions))];
        for (var i = 0; i < sessions.Length - 1; i++)
            sessions[i] = created + random.Next(updated - created + 1);
        sessions[^1] = updated;
        for (var i = 0; i < length; i++)
        {
            var session = sessions[random.Next(sessions.Length)];
            times[i] = session - random.Next(Math.Min(SessionMs, session - created) + 1);
        }
        Array.Sort(times);
        times[^1] = updated;
        return times;
    }
}
