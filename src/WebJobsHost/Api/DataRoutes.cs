using FunctionsCrawler.Data;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>
/// The dataset's routes (the data view, its figures, history, tracks, the exports, a category's changes, covers): each
/// binds its parameters and returns the core's answer.
/// </summary>
public static class DataRoutes
{
    public static WebApplication MapDataRoutes(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/playlists", async (string? category, string? q, string? sort, string? top, string? continuation, PlaylistBrowser browser, CancellationToken ct) =>
            (await browser.ListAsync(category, q, sort, top, continuation, ct)).ToResult());
        api.MapGet("/playlists/stats", async (string? category, PlaylistBrowser browser, CancellationToken ct) => (await browser.StatsAsync(category, ct)).ToResult());
        api.MapGet("/playlists/{playlistId}/history", async (string playlistId, string? category, PlaylistBrowser browser, CancellationToken ct) =>
            (await browser.HistoryAsync(playlistId, category, ct)).ToResult());
        api.MapGet("/playlists.parquet", async (string? category, string? crawlId, PlaylistBrowser browser, CancellationToken ct) =>
            (await browser.ParquetAsync(category, crawlId, ct)).ToResult());
        api.MapGet("/playlists/history.parquet", async (string? category, PlaylistBrowser browser, CancellationToken ct) =>
            (await browser.HistoryParquetAsync(category, ct)).ToResult());
        api.MapGet("/playlists/history.csv", async (string? category, PlaylistBrowser browser, CancellationToken ct) =>
            (await browser.HistoryCsvAsync(category, ct)).ToResult());
        api.MapGet("/playlists/{playlistId}/tracks", async (string playlistId, string? category, string? skip, string? top, TrackBrowser tracks, CancellationToken ct) =>
            (await tracks.PlaylistTracksAsync(playlistId, category, skip, top, ct)).ToResult());
        api.MapGet("/tracks", async (string? category, string? top, string? q, TrackBrowser tracks, CancellationToken ct) =>
            (await tracks.TopAsync(category, top, q, ct)).ToResult());
        api.MapGet("/playlists/tracks.parquet", async (string? category, string? crawlId, TrackBrowser tracks, CancellationToken ct) =>
            (await tracks.PlaylistTracksParquetAsync(category, crawlId, ct)).ToResult());
        api.MapGet("/playlists/tracks.csv", async (string? category, string? crawlId, TrackBrowser tracks, CancellationToken ct) =>
            (await tracks.PlaylistTracksCsvAsync(category, crawlId, ct)).ToResult());
        api.MapGet("/tracks.parquet", async (string? category, string? crawlId, TrackBrowser tracks, CancellationToken ct) =>
            (await tracks.TracksParquetAsync(category, crawlId, ct)).ToResult());
        api.MapGet("/tracks.csv", async (string? category, string? crawlId, TrackBrowser tracks, CancellationToken ct) =>
            (await tracks.TracksCsvAsync(category, crawlId, ct)).ToResult());
        api.MapGet("/categories/{category}/changes", async (string category, string? top, CategoryChanges changes, CancellationToken ct) =>
            (await changes.GetAsync(category, top, ct)).ToResult());
        api.MapGet("/covers/{file}", async (string file, string? size, HttpRequest request, CoverRoute covers, CancellationToken ct) =>
            (await covers.GetAsync(file, size, request.Headers.IfNoneMatch.ToString() is { Length: > 0 } etag ? etag : null, ct)).ToResult());
        return app;
    }
}
