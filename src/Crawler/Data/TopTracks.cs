using FunctionsCrawler.NetEase;

namespace FunctionsCrawler.Data;

/// <summary>A song and how many of the playlists read list it.</summary>
public sealed record RankedTrack(long TrackId, int Playlists);

/// <summary>One song of <c>GET /api/tracks</c>: in how many playlists it appears, and the song.</summary>
public sealed record TrackRank(long TrackId, int Playlists, string Name, IReadOnlyList<long> ArtistIds, IReadOnlyList<string> ArtistNames,
    long? AlbumId, string? AlbumName, long? DurationMs)
{
    public static TrackRank Of(RankedTrack ranked, Song s) =>
        new(ranked.TrackId, ranked.Playlists, s.Name, s.ArtistIds, s.ArtistNames, s.AlbumId, s.AlbumName, s.DurationMs);
}

/// <summary>
/// <c>GET /api/tracks</c>: the songs that appear in the most playlists of a category's latest view (of every category's when
/// none is named), most first, ties by id. <see cref="Playlists"/> lists were counted, naming <see cref="Counted"/> songs;
/// <see cref="Truncated"/>: the view holds more rows than one answer reads (<see cref="TopTracks.MaxPlaylists"/>), so the
/// counts are of the first rows only. With <c>q</c>, <see cref="Searched"/> says how many of the most listed songs were
/// compared with it (at most <see cref="TopTracks.MaxSearched"/>). Songs the site did not know are left out.
/// </summary>
public sealed record TopTracksView(string? Category, string? CrawlId, int Playlists, int Counted, bool Truncated, string? Q, int? Searched,
    IReadOnlyList<TrackRank> Items)
{
    public const int DefaultTop = 20, MaxTop = 200;
}

/// <summary>
/// The lists of a category counted: the <see cref="TopTracks.MaxSearched"/> most listed songs (most first, ties by id), how
/// many lists were counted (<see cref="Playlists"/>), how many songs they name (<see cref="Counted"/>), and whether the rows
/// read stopped at <see cref="TopTracks.MaxPlaylists"/> (<see cref="Truncated"/>).
/// </summary>
public sealed record TrackRanking(IReadOnlyList<RankedTrack> Ranked, int Playlists, int Counted, bool Truncated);

/// <summary>How the most listed songs are counted and picked, whatever reads the lists and the songs.</summary>
public static class TopTracks
{
    /// <summary>Latest-view rows read per answer: a list read each (up to 5,000 point reads), the same cap for one category or all.</summary>
    public const int MaxPlaylists = 5_000;

    /// <summary>Songs kept per ranking, most listed first: the most an answer looks at, with <c>q</c> or without.</summary>
    public const int MaxSearched = 5_000;

    /// <summary>Songs read from storage at a time while picking.</summary>
    private const int SongsPerRead = 200;

    /// <summary>How many of the lists name each song (a song twice in one list counts once).</summary>
    public static async Task<TrackRanking> RankAsync(IAsyncEnumerable<IEnumerable<long>> lists, bool truncated, CancellationToken ct)
    {
        var counts = new Dictionary<long, int>();
        var playlists = 0;
        await foreach (var list in lists.WithCancellation(ct))
        {
            playlists++;
            foreach (var id in list.Distinct())
                counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        var ranked = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key).Take(MaxSearched).Select(c => new RankedTrack(c.Key, c.Value)).ToList();
        return new TrackRanking(ranked, playlists, counts.Count, truncated);
    }

    /// <summary>
    /// The first <paramref name="top"/> ranked songs that are known and match <paramref name="q"/> (a case-insensitive
    /// substring of the name, an artist or the album; null: any), reading songs <see cref="SongsPerRead"/> at a time;
    /// returns them and how many ranked songs were looked at.
    /// </summary>
    public static async Task<(IReadOnlyList<TrackRank> Items, int Searched)> PickAsync(IReadOnlyList<RankedTrack> ranked, string? q, int top,
        Func<IReadOnlyList<long>, Task<IReadOnlyDictionary<long, Song>>> songsOf)
    {
        var picked = new List<TrackRank>();
        var searched = 0;
        foreach (var chunk in ranked.Chunk(SongsPerRead))
        {
            var songs = await songsOf([.. chunk.Select(r => r.TrackId)]);
            foreach (var r in chunk)
            {
                searched++;
                if (songs.TryGetValue(r.TrackId, out var song) && Matches(song, q)) picked.Add(TrackRank.Of(r, song));
                if (picked.Count == top) return (picked, searched);
            }
        }
        return (picked, searched);
    }

    public static bool Matches(Song s, string? q) =>
        q is null
        || s.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
        || s.ArtistNames.Any(a => a.Contains(q, StringComparison.OrdinalIgnoreCase))
        || (s.AlbumName?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false);
}
