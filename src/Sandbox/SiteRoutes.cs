using System.Globalization;
using System.Text.RegularExpressions;
using FunctionsCrawler.Sandbox.Catalog;
using FunctionsCrawler.Sandbox.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FunctionsCrawler.Sandbox;

/// <summary>The site's routes, on the same paths as music.163.com and its cover CDN, plus /_sandbox/*.</summary>
internal static partial class SiteRoutes
{
    private const int MaxLimit = 100;

    public static void Map(IEndpointRouteBuilder routes, SiteState site)
    {
        routes.MapGet("/discover/playlist", context => ListPage(context, site.Catalog));
        routes.MapGet("/playlist", context => PlaylistPage(context, site.Catalog));
        routes.MapMethods("/api/v6/playlist/detail", ["GET", "POST"], context => PlaylistApi(context, site.Catalog, "playlist"));
        routes.MapMethods("/api/v3/playlist/detail", ["GET", "POST"], context => PlaylistApi(context, site.Catalog, "playlist"));
        routes.MapMethods("/api/playlist/detail", ["GET", "POST"], context => PlaylistApi(context, site.Catalog, "result"));
        routes.MapGet("/{token}/{file}", context => Cover(context, site.Catalog));
        routes.MapGet("/_sandbox/health", context => SiteResponse.Bytes(context, 200, "text/plain", "ok"u8.ToArray()));
        routes.MapGet("/_sandbox/stats", context => SiteResponse.Bytes(context, 200, SiteResponse.JsonType, StatsJson.Render(site.Log)));
    }

    /// <summary>Anything else: the site's not-found page with a real 404.</summary>
    public static Task Fallback(HttpContext context)
    {
        SiteResponse.MarkNotFound(context);
        return SiteResponse.Html(context, NotFoundPage.Render(), 404);
    }

    private static Task ListPage(HttpContext context, SandboxCatalog catalog)
    {
        var query = context.Request.Query;
        var category = query["cat"].ToString();
        if (category.Length == 0)
            category = CategoryNames.All; // the site's default list
        var offset = Math.Max(0, Int(query["offset"], 0));
        var limit = Math.Clamp(Int(query["limit"], SandboxCatalog.PageSize), 1, MaxLimit);
        return SiteResponse.Html(context, Pages.ListPage.Render(catalog, category, offset, limit));
    }

    private static Task PlaylistPage(HttpContext context, SandboxCatalog catalog)
    {
        if (Found(context, catalog) is not { } playlist)
        {
            SiteResponse.MarkNotFound(context);
            return SiteResponse.Html(context, NotFoundPage.Render());
        }
        return SiteResponse.Html(context, Pages.PlaylistPage.Render(catalog, playlist));
    }

    private static Task PlaylistApi(HttpContext context, SandboxCatalog catalog, string wrapper)
    {
        if (Found(context, catalog) is not { } playlist)
        {
            SiteResponse.MarkNotFound(context);
            return SiteResponse.Bytes(context, 200, SiteResponse.JsonType, Pages.PlaylistApi.NotFound());
        }
        return SiteResponse.Bytes(context, 200, SiteResponse.JsonType, Pages.PlaylistApi.Render(catalog, playlist, wrapper));
    }

    private static Task Cover(HttpContext context, SandboxCatalog catalog)
    {
        var token = (string)context.Request.RouteValues["token"]!;
        var file = (string)context.Request.RouteValues["file"]!;
        if (!catalog.Covers.TryRead(token, file, out var id, out var purpose)
            || !catalog.TryGetPlaylist(id, out var playlist)
            || (purpose == ImagePurpose.Cover && playlist.Kind == CoverKind.ForeignHost))
            return Fallback(context);

        if (purpose == ImagePurpose.Cover && playlist.Kind == CoverKind.NotAnImage)
            return SiteResponse.Bytes(context, 200, SiteResponse.JpegType, SandboxCatalog.NotAnImageBody);

        var size = ParamSize(context.Request.Query["param"].ToString());
        var bytes = size is var (width, height)
            ? catalog.Images.Resized(id, purpose, width, height)
            : catalog.Images.Full(id, purpose);
        return SiteResponse.Bytes(context, 200, SiteResponse.JpegType, bytes);
    }

    private static SandboxPlaylist? Found(HttpContext context, SandboxCatalog catalog) =>
        long.TryParse(context.Request.Query["id"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
        && catalog.TryGetPlaylist(id, out var playlist)
        && !playlist.Deleted
            ? playlist
            : null;

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

    [GeneratedRegex("^([1-9][0-9]{0,3})[yx]([1-9][0-9]{0,3})$")]
    private static partial Regex ParamPattern();
}
