using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using FunctionsCrawler.Sandbox.Catalog;
using FunctionsCrawler.Sandbox.Covers;

namespace FunctionsCrawler.Sandbox;

/// <summary>
/// The Sandbox's data: every category's hot list and every playlist, derived from
/// (Seed, PagesPerCategory, AllPagesFull, LastPageSize, DeletedRate) and the day alone. Tests use it as the expected
/// answer. The methods here answer for the configured <see cref="SandboxOptions.Day"/> (read on every call, so a
/// running site's day can change); <see cref="OnDay"/> answers for any day.
/// </summary>
public sealed class SandboxCatalog
{
    public const int PageSize = 35;

    /// <summary>A category with no playlists: its list page has an empty container and no pager.</summary>
    public const string EmptyCategory = CategoryPages.Empty;

    /// <summary>A category with exactly one (partial) page and so no pager.</summary>
    public const string SinglePageCategory = CategoryPages.SinglePage;

    /// <summary>Categories that always have PagesPerCategory pages.</summary>
    public static IReadOnlyList<string> FullCategories => CategoryPages.Full;

    /// <summary>The real site's category names besides 全部 (tags are drawn from these).</summary>
    public static IReadOnlyList<string> ListedCategories => CategoryNames.Listed;

    /// <summary>The cover served for <see cref="CoverKind.NotAnImage"/>: an HTML page labelled image/jpeg.</summary>
    public static ReadOnlyMemory<byte> NotAnImageBody { get; } = Encoding.UTF8.GetBytes(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>图片不存在</title></head>"
        + "<body><p>很抱歉，图片不存在或已被删除</p></body></html>");

    private readonly ConcurrentDictionary<(string Category, int Day), IReadOnlyList<long[]>> _pages = new();
    private readonly PlaylistIds _ids;

    /// <param name="coverBaseUrl">Where images are served (<see cref="SandboxOptions.CoverPort"/>); null: the site itself.</param>
    public SandboxCatalog(SandboxOptions options, Uri baseUrl, Uri? coverBaseUrl = null)
    {
        options.Validate();
        Options = options;
        BaseUrl = baseUrl;
        CoverBaseUrl = coverBaseUrl ?? baseUrl;
        _ids = new PlaylistIds(options.Seed);
        Covers = new CoverAddress(options.Seed);
        Songs = new SongPool(options, CoverBaseUrl.GetLeftPart(UriPartial.Authority), Covers);
        Playlists = new PlaylistFactory(options, CoverBaseUrl, _ids, Covers, Songs);
        Images = new CoverImages(options.Seed);
    }

    public SandboxOptions Options { get; }

    /// <summary>The site root: pages, API answers.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The root that cover, avatar and album image URLs point at: the site's own, or its cover host.</summary>
    public Uri CoverBaseUrl { get; }

    /// <summary>The catalogue on the configured day, <see cref="SandboxOptions.Day"/>.</summary>
    public SandboxCatalogDay Current => OnDay(Options.Day);

    internal CoverAddress Covers { get; }

    internal CoverImages Images { get; }

    internal PlaylistFactory Playlists { get; }

    internal SongPool Songs { get; }

    /// <summary>The catalogue on <paramref name="day"/> (0..<see cref="SandboxOptions.MaxDay"/>), whatever day the site serves.</summary>
    public SandboxCatalogDay OnDay(int day) => new(this, day);

    /// <summary>Pages in a category's hot list (0 for <see cref="EmptyCategory"/> and blank names); the same on every day.</summary>
    public int TotalPages(string category) => CategoryPages.TotalPages(category, Options.PagesPerCategory, Options.AllPagesFull);

    /// <summary>
    /// The categories the list pages' menu links to, in menu order (the reference's list, or its first
    /// MenuCategories); 全部, linked from the menu's header, is not among them. A whole-site crawl expects
    /// <c>ExpectedRows(MenuCategories)</c>, plus 全部 if it crawls that too.
    /// </summary>
    public IReadOnlyList<string> MenuCategories => CategoryNames.Menu(Options.MenuCategories);

    /// <summary>The ids on one page on the configured day, in page order; empty past the last page.</summary>
    public IReadOnlyList<long> PageIds(string category, int pageIndex) => Current.PageIds(category, pageIndex);

    /// <summary>Every id of the category's list on the configured day in page order, repeats included (what offset/limit index into).</summary>
    public IReadOnlyList<long> ListedIds(string category) => Current.ListedIds(category);

    /// <summary>An id the site knows on the configured day.</summary>
    public bool IsKnown(long id) => Current.IsKnown(id);

    /// <summary>The playlist with this id on the configured day, deleted or not. Throws KeyNotFoundException for an id the Sandbox does not list by then.</summary>
    public SandboxPlaylist Playlist(long id) => Current.Playlist(id);

    public bool TryGetPlaylist(long id, [NotNullWhen(true)] out SandboxPlaylist? playlist) => Current.TryGetPlaylist(id, out playlist);

    /// <summary>
    /// What a perfect crawl of these categories outputs on the configured day: one row per distinct (category, playlist id)
    /// on the first <paramref name="maxPages"/> pages (0 = all), deleted playlists left out,
    /// in category order, then order of first appearance.
    /// </summary>
    public IReadOnlyList<(string Category, SandboxPlaylist Playlist)> ExpectedRows(IEnumerable<string> categories, int maxPages = 0) =>
        Current.ExpectedRows(categories, maxPages);

    /// <summary>
    /// The playlist's track list on the configured day, in playlist order: what a perfect crawl stores (the whole list,
    /// whatever a faulty answer shows). Empty for a deleted playlist. Throws KeyNotFoundException for an id the Sandbox
    /// does not list by then.
    /// </summary>
    public IReadOnlyList<SandboxTrack> Tracks(long playlistId) => Current.Tracks(playlistId);

    /// <summary>The song with this id (songs are the same on every day). Throws KeyNotFoundException for an id not in the pool.</summary>
    public SandboxSong Song(long songId) =>
        TryGetSong(songId, out var song) ? song : throw new KeyNotFoundException($"The Sandbox has no song {songId}.");

    public bool TryGetSong(long songId, [NotNullWhen(true)] out SandboxSong? song)
    {
        song = Songs.TryPlace(songId, out var place) ? Songs.Song(place) : null;
        return song is not null;
    }

    /// <summary>
    /// The distinct songs of the playlists <see cref="ExpectedRows"/> gives on the configured day, in order of first
    /// appearance (rows in order, each row's list in playlist order).
    /// </summary>
    public IReadOnlyList<SandboxSong> ExpectedTracks(IEnumerable<string> categories, int maxPages = 0) => Current.ExpectedTracks(categories, maxPages);

    /// <summary>The exact full-size bytes served at the playlist's CoverUrl on the configured day (for NotAnImage: the HTML served).</summary>
    public byte[] CoverBytes(long id) => Current.CoverBytes(id);

    /// <summary>The bytes served for the cover URL with <c>?param=WxH</c> on the configured day.</summary>
    public byte[] ThumbnailBytes(long id, int width, int height) => Current.ThumbnailBytes(id, width, height);

    internal string AvatarUrl(long id) => Playlists.AvatarUrl(id);

    internal bool Knows(long id, int day) => _ids.TryRead(id, out _, out var firstDay) && firstDay <= day;

    /// <summary>A category's pages on a day: built on first use, then kept (a few per category and day asked).</summary>
    internal IReadOnlyList<long[]> Pages(string category, int day) =>
        _pages.GetOrAdd((category, day), key => CategoryPages.Build(key.Category, Options, _ids, key.Day));
}
