namespace FunctionsCrawler.NetEase;

/// <summary>The addresses the crawl fetches, built against a base URL (the real site or a local stand-in).</summary>
public static class NetEaseUrls
{
    /// <summary>Playlists per category list page; a page's offset is its index times this.</summary>
    public const int PageSize = 35;

    /// <summary>
    /// <c>{base}/discover/playlist/?order=hot&amp;cat=&lt;cat&gt;&amp;limit=35&amp;offset=&lt;offset&gt;</c>,
    /// with the category percent-encoded as UTF-8 (space → %20, &amp; → %26, / → %2F).
    /// </summary>
    public static Uri ListPage(Uri baseUrl, string category, int offset)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        // EscapeDataString escapes every reserved character, so `R&B/Soul` cannot split the query or add a path segment.
        var cat = Uri.EscapeDataString(category);
        return Build(baseUrl, $"discover/playlist/?order=hot&cat={cat}&limit={PageSize}&offset={offset}");
    }

    /// <summary><c>{base}/discover/playlist/</c>: the playlist square, whose category menu lists every category.</summary>
    public static Uri CategoryMenu(Uri baseUrl) => Build(baseUrl, "discover/playlist/");

    /// <summary><c>{base}/playlist?id=&lt;id&gt;</c>: the server-rendered detail page.</summary>
    public static Uri Playlist(Uri baseUrl, long id) => Build(baseUrl, $"playlist?id={id}");

    /// <summary><c>{base}/api/v6/playlist/detail?id=&lt;id&gt;</c>: the JSON detail.</summary>
    public static Uri PlaylistApi(Uri baseUrl, long id) => Build(baseUrl, $"api/v6/playlist/detail?id={id}");

    /// <summary>
    /// The original-size image for a cover URL: drops any query (<c>?param=200y200</c> resizes)
    /// and gives protocol-relative URLs (<c>//p1.music.126.net/…</c>) an explicit <c>http:</c>.
    /// </summary>
    public static string FullSizeCover(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var full = url.Trim();
        var cut = full.IndexOfAny(['?', '#']);
        if (cut >= 0)
        {
            full = full[..cut];
        }

        return full.StartsWith("//", StringComparison.Ordinal) ? "http:" + full : full;
    }

    private static Uri Build(Uri baseUrl, string relative)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException($"Base URL must be absolute: {baseUrl}", nameof(baseUrl));
        }

        // Keep any path prefix of the base (a proxy or stand-in mounted under /x), whether or not it ends in '/'.
        var root = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(root + "/" + relative, UriKind.Absolute);
    }
}
