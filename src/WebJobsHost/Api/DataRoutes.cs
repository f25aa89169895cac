using FunctionsCrawler.Data;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>The dataset's routes (the data view, its figures, history, Parquet export, covers): each binds its parameters and returns the core's answer.</summary>
public static class DataRoutes
{
    public static WebApplication MapDataRoutes(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/playlists", (string? category, string? q, string? sort, string? top, string? continuation, PlaylistBrowser browser, CancellationToken ct) =>
            browser.ListAsync(category, q, sort, top, continuation, ct));
        api.MapGet("/playlists/stats", (string? category, PlaylistBrowser browser, CancellationToken ct) => browser.StatsAsync(category, ct));
        api.MapGet("/playlists/{playlistId}/history", (string playlistId, string? category, PlaylistBrowser browser, CancellationToken ct) =>
            browser.HistoryAsync(playlistId, category, ct));
        api.MapGet("/playlists.parquet", (string? category, string? crawlId, PlaylistBrowser browser, CancellationToken ct) =>
            browser.ParquetAsync(category, crawlId, ct));
        api.MapGet("/covers/{file}", (string file, string? size, HttpRequest request, CoverRoute covers, CancellationToken ct) =>
            covers.GetAsync(file, size, request.Headers.IfNoneMatch.ToString() is { Length: > 0 } etag ? etag : null, ct));
        return app;
    }
}
