using System.Globalization;
using System.Text.RegularExpressions;

namespace FunctionsCrawler.NetEase;

/// <summary>The addresses the crawl fetches, built against a base URL (the real site or a local stand-in).</summary>
public static partial class NetEaseUrls
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

    /// <summary>
    /// <c>{base}/api/playlist/list?cat=&lt;cat&gt;&amp;order=hot&amp;limit=&lt;limit&gt;&amp;offset=&lt;offset&gt;&amp;total=true</c>:
    /// a category's list as JSON, the category escaped as in <see cref="ListPage"/>.
    /// </summary>
    public static Uri ApiList(Uri baseUrl, string category, int offset, int limit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var cat = Uri.EscapeDataString(category);
        return Build(baseUrl, $"api/playlist/list?cat={cat}&order=hot&limit={limit}&offset={offset}&total=true");
    }

    /// <summary><c>{base}/api/playlist/catalogue</c>: every category as JSON (<c>sub[].name</c>).</summary>
    public static Uri Catalogue(Uri baseUrl) => Build(baseUrl, "api/playlist/catalogue");

    /// <summary><c>{base}/discover/playlist/</c>: the playlist square, whose category menu lists every category.</summary>
    public static Uri CategoryMenu(Uri baseUrl) => Build(baseUrl, "discover/playlist/");

    /// <summary><c>{base}/playlist?id=&lt;id&gt;</c>: the server-rendered detail page.</summary>
    public static Uri Playlist(Uri baseUrl, long id) => Build(baseUrl, $"playlist?id={id}");

    /// <summary><c>{base}/api/v6/playlist/detail?id=&lt;id&gt;</c>: the JSON detail.</summary>
    public static Uri PlaylistApi(Uri baseUrl, long id) => Build(baseUrl, $"api/v6/playlist/detail?id={id}");

    /// <summary>
    /// The longest song detail address sent as a GET, in characters: common servers refuse a request line over 8 KiB
    /// (the default of Kestrel and of nginx), and this leaves room for the method and the version. 200 song ids of 10
    /// digits (the site's ids today) take about 6,050, 200 of 19 digits (the longest) about 7,850; about 265 ids of 10
    /// digits fit. A longer batch is POSTed as a form (<see cref="SongDetailQuery"/>).
    /// </summary>
    public const int MaxSongDetailGetLength = 8000;

    /// <summary>
    /// <c>{base}/api/v3/song/detail?c=&lt;URL-encoded JSON [{"id":1},…]&gt;</c>: the songs of these ids, as given (order
    /// and repeats kept).
    /// </summary>
    public static Uri SongDetail(Uri baseUrl, IReadOnlyList<long> ids) => Build(baseUrl, $"api/v3/song/detail?{SongDetailQuery(ids)}");

    /// <summary><c>{base}/api/v3/song/detail</c>, where a batch too long for a GET is POSTed with <see cref="SongDetailQuery"/> as its form.</summary>
    public static Uri SongDetailForm(Uri baseUrl) => Build(baseUrl, "api/v3/song/detail");

    /// <summary>
    /// <c>c=&lt;URL-encoded JSON [{"id":1},…]&gt;</c>: the query of <see cref="SongDetail"/> and the form body of its POST.
    /// Every id must be above 0.
    /// </summary>
    public static string SongDetailQuery(IReadOnlyList<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfZero(ids.Count);
        foreach (var id in ids)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(id, nameof(ids));
        }

        var json = "[" + string.Join(',', ids.Select(id => "{\"id\":" + id.ToString(CultureInfo.InvariantCulture) + "}")) + "]";
        return "c=" + Uri.EscapeDataString(json);
    }

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

    /// <summary>
    /// The cover to fetch: the full-size image, or with <paramref name="size"/> &gt; 0 the image CDN's resize of it
    /// (<c>?param=&lt;size&gt;y&lt;size&gt;</c>), over https on the image CDN (<see cref="OverHttps"/>).
    /// </summary>
    public static string SizedCover(string url, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var full = OverHttps(FullSizeCover(url));
        return size == 0 ? full : $"{full}?param={size}y{size}";
    }

    /// <summary>
    /// An <c>http:</c> address on the image CDN (<c>p1…p4.music.126.net</c>, as pages and list answers name covers) as
    /// <c>https:</c>, which the CDN serves: over plain http anyone on the path could send another file. Any other address
    /// (the Sandbox's covers on its own host) is left as it is.
    /// </summary>
    public static string OverHttps(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(url, UriKind.Absolute, out var parsed) && IsImageCdn(parsed)
            ? "https://" + url["http://".Length..]
            : url;
    }

    /// <summary>
    /// What identifies a fetched cover: the URL up to its path, and the CDN's resize (<c>?param=WyH</c>) when it asked
    /// for one — another size of the same image is another cover. Any other query or fragment is left out.
    /// </summary>
    public static string CoverSource(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var path = url.GetLeftPart(UriPartial.Path);
        return ResizeOf(url) is { } size ? $"{path}?param={size}" : path;
    }

    /// <summary>
    /// Whether a stored cover's source (<see cref="CoverSource"/>) and a cover URL name the same image at the same size.
    /// The image CDN serves one image from p1…p4.music.126.net, over http or https, so there only the path and the
    /// size count (a cover stored from <c>http:</c> before covers were fetched over https is the same cover); elsewhere
    /// the whole URL up to its path, and the size. An unknown source is never the same.
    /// </summary>
    public static bool SameCover(string? storedSource, Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (string.IsNullOrEmpty(storedSource) || !Uri.TryCreate(storedSource, UriKind.Absolute, out var stored)) return false;
        if (!string.Equals(ResizeOf(stored), ResizeOf(url), StringComparison.Ordinal)) return false;
        if (IsImageCdn(stored) && IsImageCdn(url))
            return string.Equals(stored.AbsolutePath, url.AbsolutePath, StringComparison.Ordinal);
        return string.Equals(stored.GetLeftPart(UriPartial.Path), url.GetLeftPart(UriPartial.Path), StringComparison.Ordinal);
    }

    private static bool IsImageCdn(Uri url) => url.Host.EndsWith(CoverHosts.ImageCdnSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>param</c> query value when it is a resize (<c>400y400</c>), lower-cased; null otherwise.</summary>
    private static string? ResizeOf(Uri url)
    {
        foreach (var pair in url.Query.TrimStart('?').Split('&'))
        {
            if (pair.StartsWith("param=", StringComparison.Ordinal) && ResizeValue().IsMatch(pair[6..]))
            {
                return pair[6..].ToLowerInvariant();
            }
        }

        return null;
    }

    [GeneratedRegex("^[0-9]{1,5}[yYxX][0-9]{1,5}$", RegexOptions.CultureInvariant)]
    private static partial Regex ResizeValue();

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
