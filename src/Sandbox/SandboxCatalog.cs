using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using FunctionsCrawler.Sandbox.Catalog;
using FunctionsCrawler.Sandbox.Covers;

namespace FunctionsCrawler.Sandbox;

/// <summary>
/// The Sandbox's data: every category's hot list and every playlist, derived from
/// (Seed, PagesPerCategory, LastPageSize, DeletedRate) alone. Tests use it as the expected answer.
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

    private readonly ConcurrentDictionary<string, IReadOnlyList<long[]>> _pages = new(StringComparer.Ordinal);
    private readonly PlaylistIds _ids;
    private readonly PlaylistFactory _playlists;
    private readonly CoverImages _images;

    public SandboxCatalog(SandboxOptions options, Uri baseUrl)
    {
        options.Validate();
        Options = options;
        BaseUrl = baseUrl;
        _ids = new PlaylistIds(options.Seed);
        Covers = new CoverAddress(options.Seed);
        _playlists = new PlaylistFactory(options, baseUrl, _ids, Covers);
        _images = new CoverImages(options.Seed);
    }

    public SandboxOptions Options { get; }

    /// <summary>The site root that cover URLs point at.</summary>
    public Uri BaseUrl { get; }

    internal CoverAddress Covers { get; }

    internal CoverImages Images => _images;

    /// <summary>Pages in a category's hot list (0 for <see cref="EmptyCategory"/> and blank names).</summary>
    public int TotalPages(string category) => CategoryPages.TotalPages(category, Options.PagesPerCategory, Options.AllPagesFull);

    /// <summary>
    /// The categories the list pages' menu links to, in menu order (the reference's list, or its first
    /// MenuCategories); 全部, linked from the menu's header, is not among them. A whole-site crawl expects
    /// <c>ExpectedRows(MenuCategories)</c>, plus 全部 if it crawls that too.
    /// </summary>
    public IReadOnlyList<string> MenuCategories => CategoryNames.Menu(Options.MenuCategories);

    /// <summary>The ids on one page, in page order; empty past the last page.</summary>
    public IReadOnlyList<long> PageIds(string category, int pageIndex)
    {
        var pages = Pages(category);
        return pageIndex >= 0 && pageIndex < pages.Count ? pages[pageIndex] : [];
    }

    /// <summary>Every id of the category's list in page order, repeats included (what offset/limit index into).</summary>
    public IReadOnlyList<long> ListedIds(string category) => [.. Pages(category).SelectMany(page => page)];

    public bool IsKnown(long id) => _ids.TryRead(id, out _);

    /// <summary>The playlist with this id, deleted or not. Throws KeyNotFoundException for an id the Sandbox never lists.</summary>
    public SandboxPlaylist Playlist(long id) =>
        _playlists.Create(id) ?? throw new KeyNotFoundException($"The Sandbox has no playlist {id}.");

    public bool TryGetPlaylist(long id, [NotNullWhen(true)] out SandboxPlaylist? playlist)
    {
        playlist = _playlists.Create(id);
        return playlist is not null;
    }

    /// <summary>
    /// What a perfect crawl of these categories outputs: one row per distinct (category, playlist id)
    /// on the first <paramref name="maxPages"/> pages (0 = all), deleted playlists left out,
    /// in category order, then order of first appearance.
    /// </summary>
    public IReadOnlyList<(string Category, SandboxPlaylist Playlist)> ExpectedRows(IEnumerable<string> categories, int maxPages = 0)
    {
        var rows = new List<(string, SandboxPlaylist)>();
        foreach (var category in categories.Distinct(StringComparer.Ordinal))
        {
            var seen = new HashSet<long>();
            var pages = Pages(category);
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

    /// <summary>The exact full-size bytes served at the playlist's CoverUrl (for NotAnImage: the HTML served).</summary>
    public byte[] CoverBytes(long id)
    {
        var playlist = Playlist(id);
        return playlist.Kind switch
        {
            CoverKind.Ok => _images.Full(id),
            CoverKind.NotAnImage => NotAnImageBody.ToArray(),
            _ => throw new InvalidOperationException($"Playlist {id}'s cover is on a foreign host; the Sandbox never serves it."),
        };
    }

    /// <summary>The bytes served for the cover URL with <c>?param=WxH</c>.</summary>
    public byte[] ThumbnailBytes(long id, int width, int height) => _images.Resized(id, ImagePurpose.Cover, width, height);

    internal string AvatarUrl(long id) => _playlists.AvatarUrl(id);

    private IReadOnlyList<long[]> Pages(string category) =>
        _pages.GetOrAdd(category, name => CategoryPages.Build(name, Options, _ids));
}
