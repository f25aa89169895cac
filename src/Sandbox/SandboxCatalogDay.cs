using System.Diagnostics.CodeAnalysis;
using FunctionsCrawler.Sandbox.Catalog;

namespace FunctionsCrawler.Sandbox;

/// <summary>
/// The catalogue as it stands on one day (the Day option): every category's list and every playlist of that day.
/// A request takes one of these once, so a day changed while it is answered cannot mix two days in one answer.
/// </summary>
public sealed class SandboxCatalogDay
{
    internal SandboxCatalogDay(SandboxCatalog catalog, int day)
    {
        DailyChange.RequireDay(day);
        Catalog = catalog;
        Day = day;
    }

    public SandboxCatalog Catalog { get; }

    public int Day { get; }

    /// <summary>Midnight UTC that starts the day: every change of the day (an updateTime, a new playlist's createTime) is within the 24 hours after it.</summary>
    public DateTimeOffset Start => DailyChange.Start(Day);

    /// <summary>Pages in a category's hot list (0 for <see cref="SandboxCatalog.EmptyCategory"/> and blank names); the same on every day.</summary>
    public int TotalPages(string category) => Catalog.TotalPages(category);

    /// <summary>The ids on one page, in page order; empty past the last page.</summary>
    public IReadOnlyList<long> PageIds(string category, int pageIndex)
    {
        var pages = Catalog.Pages(category, Day);
        return pageIndex >= 0 && pageIndex < pages.Count ? pages[pageIndex] : [];
    }

    /// <summary>Every id of the category's list in page order, repeats included (what offset/limit index into).</summary>
    public IReadOnlyList<long> ListedIds(string category) => [.. Catalog.Pages(category, Day).SelectMany(page => page)];

    /// <summary>An id the site knows on this day (deleted or not); a playlist first listed on a later day is not known yet.</summary>
    public bool IsKnown(long id) => Catalog.Knows(id, Day);

    /// <summary>The playlist with this id on this day, deleted or not. Throws KeyNotFoundException for an id the Sandbox does not list by then.</summary>
    public SandboxPlaylist Playlist(long id) =>
        Catalog.Playlists.Create(id, Day) ?? throw new KeyNotFoundException($"The Sandbox has no playlist {id} on day {Day}.");

    public bool TryGetPlaylist(long id, [NotNullWhen(true)] out SandboxPlaylist? playlist)
    {
        playlist = Catalog.Playlists.Create(id, Day);
        return playlist is not null;
    }

    /// <summary>
    /// What a perfect crawl of these categories outputs on this day: one row per distinct (category, playlist id)
    /// on the first <paramref name="maxPages"/> pages (0 = all), deleted playlists left out,
    /// in category order, then order of first appearance.
    /// </summary>
    public IReadOnlyList<(string Category, SandboxPlaylist Playlist)> ExpectedRows(IEnumerable<string> categories, int maxPages = 0)
    {
        var rows = new List<(string, SandboxPlaylist)>();
        foreach (var category in categories.Distinct(StringComparer.Ordinal))
        {
            var seen = new HashSet<long>();
            var pages = Catalog.Pages(category, Day);
            var crawled = maxPages > 0 ? Math.Min(maxPages, pages.Count) : pages.Count;
            foreach (var id in pages.Take(crawled).SelectMany(page => page))
            {
                if (!seen.Add(id))
                    continue;
                var playlist = Playlist(id);
                if (!playlist.Deleted)
                    rows.Add((category, playlist));
            }
        }
        return rows;
    }

    /// <summary>
    /// The playlist's track list on this day, in playlist order: what a perfect crawl stores (the whole list, whatever a
    /// faulty answer shows). Empty for a deleted playlist. Throws KeyNotFoundException for an id the Sandbox does not list by then.
    /// </summary>
    public IReadOnlyList<SandboxTrack> Tracks(long playlistId) =>
        Catalog.Playlists.Tracks(playlistId, Day) ?? throw new KeyNotFoundException($"The Sandbox has no playlist {playlistId} on day {Day}.");

    /// <summary>The song with this id (songs are the same on every day). Throws KeyNotFoundException for an id not in the pool.</summary>
    public SandboxSong Song(long songId) => Catalog.Song(songId);

    public bool TryGetSong(long songId, [NotNullWhen(true)] out SandboxSong? song) => Catalog.TryGetSong(songId, out song);

    /// <summary>
    /// The distinct songs of the playlists <see cref="ExpectedRows"/> gives on this day, in order of first appearance
    /// (rows in order, each row's list in playlist order). Costs one list per distinct playlist (about 0.15 ms each); the
    /// songs are made when read, so a whole-site answer holds only their ids.
    /// </summary>
    public IReadOnlyList<SandboxSong> ExpectedTracks(IEnumerable<string> categories, int maxPages = 0)
    {
        var seen = new HashSet<long>();
        var songs = new List<long>();
        var playlists = new HashSet<long>();
        foreach (var (_, playlist) in ExpectedRows(categories, maxPages))
        {
            if (!playlists.Add(playlist.Id))
                continue;
            foreach (var track in Tracks(playlist.Id))
                if (seen.Add(track.SongId))
                    songs.Add(track.SongId);
        }
        return new SongList(Catalog, songs);
    }

    /// <summary>The exact full-size bytes served at the playlist's CoverUrl on this day (for NotAnImage: the HTML served).</summary>
    public byte[] CoverBytes(long id)
    {
        var playlist = Playlist(id);
        return playlist.Kind switch
        {
            CoverKind.Ok => Catalog.Images.Full(id, ImagePurpose.Cover, playlist.CoverVersion),
            CoverKind.NotAnImage => SandboxCatalog.NotAnImageBody.ToArray(),
            _ => throw new InvalidOperationException($"Playlist {id}'s cover is on a foreign host; the Sandbox never serves it."),
        };
    }

    /// <summary>The bytes served for the cover URL with <c>?param=WxH</c> on this day.</summary>
    public byte[] ThumbnailBytes(long id, int width, int height) =>
        Catalog.Images.Resized(id, ImagePurpose.Cover, width, height, Playlist(id).CoverVersion);
}
