using Microsoft.AspNetCore.Http;

namespace FunctionsCrawler.Sandbox.Faults;

/// <summary>What a request asks the site for; decides which faults apply and how the log counts it.</summary>
internal enum RequestKind
{
    List,
    Playlist,
    Api,
    /// <summary>A category's list as JSON (/api/playlist/list).</summary>
    ListApi,
    /// <summary>The category catalogue as JSON (/api/playlist/catalogue).</summary>
    CatalogueApi,
    /// <summary>Song details as JSON (/api/v3/song/detail).</summary>
    SongApi,
    Cover,
    Thumbnail,
    Other,
    /// <summary>/_sandbox/*: the Sandbox's own controls, never faulted or counted.</summary>
    Control,
}

internal static class RequestKinds
{
    public static RequestKind Of(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        if (path.StartsWith("/_sandbox/", StringComparison.Ordinal))
            return RequestKind.Control;
        if (path.StartsWith("/discover/playlist", StringComparison.Ordinal))
            return RequestKind.List;
        if (path is "/playlist" or "/playlist/")
            return RequestKind.Playlist;
        if (path is "/api/playlist/list" or "/api/playlist/list/")
            return RequestKind.ListApi;
        if (path is "/api/playlist/catalogue" or "/api/playlist/catalogue/")
            return RequestKind.CatalogueApi;
        if (path is "/api/v3/song/detail" or "/api/v3/song/detail/")
            return RequestKind.SongApi;
        if (path.StartsWith("/api/", StringComparison.Ordinal))
            return RequestKind.Api;
        if (path.EndsWith(".jpg", StringComparison.Ordinal))
            return request.Query.ContainsKey("param") ? RequestKind.Thumbnail : RequestKind.Cover;
        return RequestKind.Other;
    }

    /// <summary>The name used in the request log and /_sandbox/stats.</summary>
    public static string Name(this RequestKind kind) => kind switch
    {
        RequestKind.List => "list",
        RequestKind.Playlist => "playlist",
        RequestKind.Api => "api",
        RequestKind.ListApi => "listApi",
        RequestKind.CatalogueApi => "catalogue",
        RequestKind.SongApi => "songApi",
        RequestKind.Cover => "cover",
        RequestKind.Thumbnail => "thumbnail",
        RequestKind.Control => "control",
        _ => "other",
    };

    /// <summary>Anti-crawling blocks hit pages and the API; covers come from a CDN on the real site.</summary>
    public static bool CanBeBlocked(this RequestKind kind) =>
        kind is RequestKind.List or RequestKind.Playlist or RequestKind.Api or RequestKind.ListApi or RequestKind.CatalogueApi or RequestKind.SongApi;
}
