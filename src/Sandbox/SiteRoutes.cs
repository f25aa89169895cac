using System.Globalization;
using System.Text.RegularExpressions;
using FunctionsCrawler.Sandbox.Catalog;
using FunctionsCrawler.Sandbox.Faults;
using FunctionsCrawler.Sandbox.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FunctionsCrawler.Sandbox;

/// <summary>The site's routes, on the same paths as music.163.com and its cover CDN, plus /_sandbox/*.</summary>
internal static partial class SiteRoutes
{
    private const int MaxLimit = 100;

    /// <summary>Where a cover redirected with CoverRedirectTo=self is served: same host, another path, same bytes.</summary>
    public const string MovedCoverPrefix = "/moved";

    public static void Map(IEndpointRouteBuilder routes, SiteState site)
    {
        routes.MapGet("/discover/playlist", context => ListPage(context, site));
        routes.MapGet("/playlist", context => PlaylistPage(context, site));
        routes.MapMethods("/api/v6/playlist/detail", ["GET", "POST"], context => PlaylistApi(context, site, "playlist"));
        routes.MapMethods("/api/v3/playlist/detail", ["GET", "POST"], context => PlaylistApi(context, site, "playlist"));
        routes.MapMethods("/api/playlist/detail", ["GET", "POST"], context => PlaylistApi(context, site, "result"));
        routes.MapMethods("/api/playlist/list", ["GET", "POST"], context => ListApi(context, site));
        routes.MapMethods("/api/playlist/catalogue", ["GET", "POST"], context => CatalogueApi(context, site));
        routes.MapMethods("/api/v3/song/detail", ["GET", "POST"], context => SongApi(context, site));
        routes.MapGet("/{token}/{file}", context => Cover(context, site, mayRedirect: true));
        routes.MapGet(MovedCoverPrefix + "/{token}/{file}", context => Cover(context, site, mayRedirect: false));
        routes.MapGet("/_sandbox/health", context => SiteResponse.Bytes(context, 200, "text/plain", "ok"u8.ToArray()));
        routes.MapGet("/_sandbox/stats", context => Stats(context, site));
        routes.MapGet("/_sandbox/expected", context => Expected(context, site));
        routes.MapGet("/_sandbox/arrivals", context => Arrivals(context, site));
    }

    /// <summary>
    /// Whether the cover host serves this path: an image (<c>/{token}/{file}</c>, or moved) or the Sandbox's own routes.
    /// </summary>
    public static bool IsImagePath(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["_sandbox", ..]) return true;
        if (segments is ["moved", _, _]) return true;
        return segments is [var token, _] && token is not ("api" or "discover" or "playlist");
    }

    /// <summary>Anything else: the site's not-found page with a real 404.</summary>
    public static Task Fallback(HttpContext context, SiteState site)
    {
        SiteResponse.MarkNotFound(context);
        return SiteResponse.Html(context, site.Charset, NotFoundPage.Render(site.Charset.MetaName), 404);
    }

    private static Task ListPage(HttpContext context, SiteState site)
    {
        var (category, offset, limit) = ListQuery(context);
        return SiteResponse.Html(context, site.Charset, Pages.ListPage.Render(site.Catalog.Current, category, offset, limit, site.Charset.MetaName));
    }

    /// <summary>The list as JSON; for NotAListCategories the HTML list page instead, with HTTP 200 (a proxy that serves the web page).</summary>
    private static Task ListApi(HttpContext context, SiteState site)
    {
        var (category, offset, limit) = ListQuery(context);
        var day = site.Catalog.Current;
        return site.Options.ListIsNotJson(category)
            ? SiteResponse.Html(context, site.Charset, Pages.ListPage.Render(day, category, offset, limit, site.Charset.MetaName))
            : SiteResponse.Bytes(context, 200, site.Charset.JsonType, Pages.ListApi.Render(day, category, offset, limit));
    }

    private static Task CatalogueApi(HttpContext context, SiteState site) =>
        SiteResponse.Bytes(context, 200, site.Charset.JsonType, Pages.CatalogueApi.Render(site.Catalog));

    /// <summary>?cat= (missing or empty: 全部) &amp;offset= (64-bit, at least 0) &amp;limit= (1..100, default 35), as the list page and the list API read them.</summary>
    private static (string Category, long Offset, int Limit) ListQuery(HttpContext context)
    {
        var query = context.Request.Query;
        var category = query["cat"].ToString();
        if (category.Length == 0)
            category = CategoryNames.All; // the site's default list
        // Long: a pager that claims ~2^31 pages links to offsets past int.MaxValue.
        var offset = Math.Max(0, Long(query["offset"], 0));
        var limit = Math.Clamp(Int(query["limit"], SandboxCatalog.PageSize), 1, MaxLimit);
        return (category, offset, limit);
    }

    private static Task PlaylistPage(HttpContext context, SiteState site)
    {
        var id = Id(context);
        string html;
        if (Found(id, site.Catalog.Current) is { } playlist)
        {
            html = Pages.PlaylistPage.Render(site.Catalog, playlist, site.Charset.MetaName);
        }
        else
        {
            SiteResponse.MarkNotFound(context);
            html = NotFoundPage.Render(site.Charset.MetaName);
        }
        if (id is { } inflating && site.Options.Inflates(inflating))
        {
            context.Response.Headers.ContentEncoding = "gzip";
            return Send(context, site, id, site.Charset.HtmlType, GzipBomb.Of(site.Options.InflateMegabytes));
        }
        return Send(context, site, id, site.Charset.HtmlType, site.Charset.Encode(html));
    }

    private static Task PlaylistApi(HttpContext context, SiteState site, string wrapper)
    {
        var id = Id(context);
        var day = site.Catalog.Current;
        if (Found(id, day) is not { } playlist)
        {
            SiteResponse.MarkNotFound(context);
            return Send(context, site, id, site.Charset.JsonType, Pages.PlaylistApi.NotFound());
        }
        IReadOnlyList<SandboxTrack>? tracks = null;
        if (wrapper == "playlist")
        {
            tracks = day.Tracks(playlist.Id);
            // A distrusted address gets the list cut to its first track, the count left as it is.
            if (site.Options.AnswersOneTrack(playlist.Id))
                tracks = [.. tracks.Take(1)];
        }
        return Send(context, site, id, site.Charset.JsonType, Pages.PlaylistApi.Render(site.Catalog, playlist, wrapper, tracks));
    }

    /// <summary>Song details: <c>c</c> (or <c>ids</c>) from the query, or from a POST's form body as the web client sends it.</summary>
    private static async Task SongApi(HttpContext context, SiteState site)
    {
        var parameters = context.Request.Query;
        var (c, ids) = (parameters["c"].ToString(), parameters["ids"].ToString());
        if (c.Length == 0 && ids.Length == 0 && HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            (c, ids) = (form["c"].ToString(), form["ids"].ToString());
        }
        var limit = site.Options.SongDetailLimit;
        var problem = !Pages.SongDetailApi.TryRead(c, ids, out var asked, out var malformed) ? malformed
            : asked.Count > limit ? Pages.SongDetailApi.TooMany(asked.Count, limit)
            : null;
        if (problem is null)
        {
            await SiteResponse.Bytes(context, 200, site.Charset.JsonType, Pages.SongDetailApi.Render(site.Catalog, asked));
            return;
        }
        SiteResponse.MarkOutcome(context, "badRequest");
        await SiteResponse.Bytes(context, 200, site.Charset.JsonType, Pages.SongDetailApi.Error(problem));
    }

    /// <summary>A detail page or API answer: at once, or one byte at a time for DripIds.</summary>
    private static Task Send(HttpContext context, SiteState site, long? id, string contentType, byte[] body) =>
        id is { } dripping && site.Options.Drips(dripping)
            ? DripResponse.Write(context, 200, contentType, body, TimeSpan.FromMilliseconds(site.Options.DripIntervalMs))
            : SiteResponse.Bytes(context, 200, contentType, body);

    /// <summary>
    /// A cover or avatar. Only the playlist's cover of the day is served: an older version's URL is 404 from the day the
    /// cover changed (the CDN dropped it), and so is a version that does not exist yet.
    /// </summary>
    private static Task Cover(HttpContext context, SiteState site, bool mayRedirect)
    {
        var catalog = site.Catalog;
        var token = (string)context.Request.RouteValues["token"]!;
        var file = (string)context.Request.RouteValues["file"]!;
        if (!catalog.Covers.TryRead(token, file, out var id, out var purpose, out var version))
            return Fallback(context, site);
        if (purpose == ImagePurpose.Album)
            return AlbumPicture(context, site, id, version, onMovedPath: !mayRedirect);
        if (!catalog.Current.TryGetPlaylist(id, out var playlist)
            || version != (purpose == ImagePurpose.Cover ? playlist.CoverVersion : 0)
            || (purpose == ImagePurpose.Cover && playlist.Kind == CoverKind.ForeignHost))
            return Fallback(context, site);

        var size = ParamSize(context.Request.Query["param"].ToString());
        if (mayRedirect && purpose == ImagePurpose.Cover && size is null && site.Options.RedirectsCover(id))
            return Redirect(context, site, $"{MovedCoverPrefix}/{token}/{file}");

        if (purpose == ImagePurpose.Cover && playlist.Kind == CoverKind.NotAnImage)
            return SiteResponse.Bytes(context, 200, SiteResponse.JpegType, SandboxCatalog.NotAnImageBody);
        if (purpose == ImagePurpose.Cover && site.Options.ServesBombCover(id))
            return site.Options.BombCoverIsGif(id)
                ? SiteResponse.Bytes(context, 200, CoverBomb.GifType, CoverBomb.Gif)
                : SiteResponse.Bytes(context, 200, CoverBomb.PngType, CoverBomb.Png);

        var bytes = size is var (width, height)
            ? catalog.Images.Resized(id, purpose, width, height, version)
            : catalog.Images.Full(id, purpose, version);
        return SiteResponse.Bytes(context, 200, SiteResponse.JpegType, bytes);
    }

    /// <summary>A song's album picture: the same on every day, never redirected (a moved path is not one of its URLs).</summary>
    private static Task AlbumPicture(HttpContext context, SiteState site, long albumId, int version, bool onMovedPath)
    {
        var catalog = site.Catalog;
        if (version != 0 || onMovedPath || !catalog.Songs.IsAlbum(albumId))
            return Fallback(context, site);
        var bytes = ParamSize(context.Request.Query["param"].ToString()) is var (width, height)
            ? catalog.Images.Resized(albumId, ImagePurpose.Album, width, height)
            : catalog.Images.Full(albumId, ImagePurpose.Album);
        return SiteResponse.Bytes(context, 200, SiteResponse.JpegType, bytes);
    }

    /// <summary>302 Found to CoverRedirectTo, or for "self" to the same image at <paramref name="movedPath"/> on the Sandbox.</summary>
    private static Task Redirect(HttpContext context, SiteState site, string movedPath)
    {
        var target = site.Options.CoverRedirectTo == SandboxOptions.SelfRedirect
            ? new Uri(site.Catalog.CoverBaseUrl, movedPath).AbsoluteUri
            : site.Options.CoverRedirectTo;
        context.Response.Headers.Location = target;
        return SiteResponse.Bytes(context, 302, "text/html",
            "<html><head><title>302 Found</title></head><body><center><h1>302 Found</h1></center></body></html>"u8.ToArray());
    }

    private static Task Stats(HttpContext context, SiteState site)
    {
        // Repeats of a blocked request are counted within ?withinSeconds=N, by default the block window's length.
        var within = Math.Max(0, Long(context.Request.Query["withinSeconds"], site.Options.BlockForSeconds));
        return SiteResponse.Bytes(context, 200, SiteResponse.JsonType, StatsJson.Render(site.Log, TimeSpan.FromSeconds(within), TimeSpan.FromSeconds(Math.Max(1, site.Options.BlockForSeconds))));
    }

    /// <summary>
    /// ?sinceMs=N (Unix milliseconds, default 0): every site request's arrival since then, for a sliding-window count;
    /// &amp;kinds=a,b only those kinds, &amp;exceptKinds=a,b all but those (e.g. the covers apart from the pages).
    /// </summary>
    private static Task Arrivals(HttpContext context, SiteState site)
    {
        var since = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(Long(context.Request.Query["sinceMs"], 0), 0, 253_402_300_799_999));
        var only = Kinds(context.Request.Query["kinds"]);
        var except = Kinds(context.Request.Query["exceptKinds"]);
        return SiteResponse.Bytes(context, 200, SiteResponse.JsonType,
            StatsJson.RenderArrivals(site.Log.ArrivalsSince(since, kind => (only.Count == 0 || only.Contains(kind)) && !except.Contains(kind))));

        static HashSet<string> Kinds(string? listed) =>
            [.. (listed ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>
    /// ?categories=A,B (default: the menu's categories) &amp;maxPages=N (default 0, all pages) &amp;day=N (default: the day
    /// served) &amp;counts=true (each row's counts too) &amp;tracks=true (each row's track list length and the distinct songs).
    /// </summary>
    private static Task Expected(HttpContext context, SiteState site)
    {
        var query = context.Request.Query;
        var asked = query["categories"].ToString();
        IReadOnlyList<string> categories = asked.Length == 0
            ? site.Catalog.MenuCategories
            : [.. asked.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        var maxPages = (int)Math.Clamp(Long(query["maxPages"], 0), 0, int.MaxValue);
        var day = (int)Math.Clamp(Long(query["day"], site.Options.Day), 0, SandboxOptions.MaxDay);
        var withCounts = string.Equals(query["counts"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        var withTracks = string.Equals(query["tracks"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        return SiteResponse.Bytes(context, 200, SiteResponse.JsonType,
            ExpectedJson.Render(site.Catalog.OnDay(day), categories, maxPages, withCounts, withTracks, site.Options.ServesBombCover));
    }

    private static long? Id(HttpContext context) =>
        long.TryParse(context.Request.Query["id"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static SandboxPlaylist? Found(long? id, SandboxCatalogDay catalog) =>
        id is { } known && catalog.TryGetPlaylist(known, out var playlist) && !playlist.Deleted ? playlist : null;

    /// <summary>The CDN's resize parameter: "140y140" (also accepts "140x140").</summary>
    private static (int Width, int Height)? ParamSize(string param)
    {
        var match = ParamPattern().Match(param);
        return match.Success
            ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
    }

    private static int Int(Microsoft.Extensions.Primitives.StringValues value, int fallback) =>
        int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : fallback;

    private static long Long(Microsoft.Extensions.Primitives.StringValues value, long fallback) =>
        long.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : fallback;

    [GeneratedRegex("^([1-9][0-9]{0,3})[yx]([1-9][0-9]{0,3})$")]
    private static partial Regex ParamPattern();
}
