using System.Globalization;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Data;

/// <summary>
/// One track of a playlist as <c>GET /api/playlists/{id}/tracks</c> shows it: its place (0 for the first), when it was added
/// (null when the site did not say) and the song; <see cref="Known"/> is false for an id whose song is not stored (the
/// site did not know it, or it was not fetched yet): then only the id is known.
/// </summary>
public sealed record PlaylistTrackView(int Position, long TrackId, bool Known, string? Name, IReadOnlyList<long> ArtistIds, IReadOnlyList<string> ArtistNames,
    long? AlbumId, string? AlbumName, long? DurationMs, DateTimeOffset? AddedAt)
{
    public static PlaylistTrackView Of(PlaylistTrack track, Song? song) => song is null
        ? new(track.Position, track.TrackId, false, null, [], [], null, null, null, track.AddedAt)
        : new(track.Position, track.TrackId, true, song.Name, song.ArtistIds, song.ArtistNames, song.AlbumId, song.AlbumName, song.DurationMs, track.AddedAt);
}

/// <summary>
/// A page of a playlist's tracks from the dataset's latest view: the row it comes from (<see cref="Category"/>,
/// <see cref="CrawlId"/>), the playlist's own <see cref="TrackCount"/>, how many tracks its stored list holds
/// (<see cref="Listed"/>, null when no list was kept for the row) and why the two differ when they differ by more than the
/// site's lag (<see cref="Flag"/>); <see cref="Stored"/> is false when the row names a list that is no longer stored.
/// <see cref="Next"/> is the route of the next page (relative to <c>/api/</c>), null on the last.
/// </summary>
public sealed record PlaylistTracksView(long PlaylistId, string Category, string Name, string CrawlId, DateTimeOffset CrawledAt,
    long TrackCount, int? Listed, string? Flag, DateTimeOffset? UpdatedAt, bool Stored, int Skip, int Top, IReadOnlyList<PlaylistTrackView> Tracks, string? Next)
{
    public const int DefaultTop = 100, MaxTop = 1000;

    /// <summary>
    /// The page of <paramref name="list"/> (null: not stored) from <paramref name="skip"/>, at most <paramref name="top"/>
    /// tracks, with the songs of <paramref name="songs"/> that it names.
    /// </summary>
    public static PlaylistTracksView Of(PlaylistRecord row, IReadOnlyList<PlaylistTrack>? list, IReadOnlyDictionary<long, Song> songs, int skip, int top)
    {
        var page = PageOf(list, skip, top);
        var id = row.Detail.Id.ToString(CultureInfo.InvariantCulture);
        var next = list is not null && skip + page.Count < list.Count && page.Count > 0
            ? $"playlists/{id}/tracks?category={Uri.EscapeDataString(row.Category)}"
                + $"&skip={(skip + page.Count).ToString(CultureInfo.InvariantCulture)}&top={top.ToString(CultureInfo.InvariantCulture)}"
            : null;
        return new(row.Detail.Id, row.Category, row.Detail.Name, row.CrawlId, row.CrawledAt, row.Detail.TrackCount, row.Tracks?.Listed, row.Tracks?.Flag,
            row.Tracks?.UpdatedAt, row.Tracks is null || list is not null, skip, top,
            [.. page.Select(t => PlaylistTrackView.Of(t, songs.GetValueOrDefault(t.TrackId)))], next);
    }

    /// <summary>The tracks of one page of a list, in its order.</summary>
    public static IReadOnlyList<PlaylistTrack> PageOf(IReadOnlyList<PlaylistTrack>? list, int skip, int top) =>
        list is null || skip >= list.Count ? [] : [.. list.Skip(skip).Take(top)];
}
