using FunctionsCrawler.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsCrawler.Functions.Api;

/// <summary>
/// The dataset's routes: the data view's pages, its figures, a playlist's history and tracks, the most listed tracks, the
/// exports (the crawl's Parquet, its tracks, the history's Parquet and CSV), a category's changes and the covers. They hand
/// out the dataset itself, so each takes a function key (<c>?code=</c> or <c>x-functions-key</c>).
/// </summary>
public sealed class DataRoutes(PlaylistBrowser browser, TrackBrowser tracks, CategoryChanges changes, CoverRoute covers)
{
    [Function("ListPlaylists")]
    public async Task<IResult> ListPlaylists([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists")] HttpRequest request, CancellationToken ct) =>
        (await browser.ListAsync(request.Query["category"], request.Query["q"], request.Query["sort"], request.Query["top"], request.Query["continuation"], ct)).ToResult();

    [Function("PlaylistStats")]
    public async Task<IResult> GetStats([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists/stats")] HttpRequest request, CancellationToken ct) =>
        (await browser.StatsAsync(request.Query["category"], ct)).ToResult();

    [Function("PlaylistHistory")]
    public async Task<IResult> GetHistory([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists/{playlistId}/history")] HttpRequest request,
        string playlistId, CancellationToken ct) =>
        (await browser.HistoryAsync(playlistId, request.Query["category"], ct)).ToResult();

    [Function("ExportPlaylistsParquet")]
    public async Task<IResult> ExportPlaylistsParquet([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists.parquet")] HttpRequest request, CancellationToken ct) =>
        (await browser.ParquetAsync(request.Query["category"], request.Query["crawlId"], ct)).ToResult();

    [Function("ExportHistoryParquet")]
    public async Task<IResult> ExportHistoryParquet([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists/history.parquet")] HttpRequest request, CancellationToken ct) =>
        (await browser.HistoryParquetAsync(request.Query["category"], ct)).ToResult();

    [Function("ExportHistoryCsv")]
    public async Task<IResult> ExportHistoryCsv([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists/history.csv")] HttpRequest request, CancellationToken ct) =>
        (await browser.HistoryCsvAsync(request.Query["category"], ct)).ToResult();

    [Function("PlaylistTracks")]
    public async Task<IResult> GetPlaylistTracks([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists/{playlistId}/tracks")] HttpRequest request,
        string playlistId, CancellationToken ct) =>
        (await tracks.PlaylistTracksAsync(playlistId, request.Query["category"], request.Query["skip"], request.Query["top"], ct)).ToResult();

    [Function("TopTracks")]
    public async Task<IResult> GetTopTracks([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tracks")] HttpRequest request, CancellationToken ct) =>
        (await tracks.TopAsync(request.Query["category"], request.Query["top"], request.Query["q"], ct)).ToResult();

    [Function("ExportPlaylistTracksParquet")]
    public async Task<IResult> ExportPlaylistTracksParquet([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists/tracks.parquet")] HttpRequest request,
        CancellationToken ct) =>
        (await tracks.PlaylistTracksParquetAsync(request.Query["category"], request.Query["crawlId"], ct)).ToResult();

    [Function("ExportPlaylistTracksCsv")]
    public async Task<IResult> ExportPlaylistTracksCsv([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists/tracks.csv")] HttpRequest request,
        CancellationToken ct) =>
        (await tracks.PlaylistTracksCsvAsync(request.Query["category"], request.Query["crawlId"], ct)).ToResult();

    [Function("ExportTracksParquet")]
    public async Task<IResult> ExportTracksParquet([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tracks.parquet")] HttpRequest request, CancellationToken ct) =>
        (await tracks.TracksParquetAsync(request.Query["category"], request.Query["crawlId"], ct)).ToResult();

    [Function("ExportTracksCsv")]
    public async Task<IResult> ExportTracksCsv([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tracks.csv")] HttpRequest request, CancellationToken ct) =>
        (await tracks.TracksCsvAsync(request.Query["category"], request.Query["crawlId"], ct)).ToResult();

    [Function("CategoryChanges")]
    public async Task<IResult> GetCategoryChanges([HttpTrigger(AuthorizationLevel.Function, "get", Route = "categories/{category}/changes")] HttpRequest request,
        string category, CancellationToken ct) =>
        (await changes.GetAsync(category, request.Query["top"], ct)).ToResult();

    [Function("GetCover")]
    public async Task<IResult> GetCover([HttpTrigger(AuthorizationLevel.Function, "get", Route = "covers/{file}")] HttpRequest request, string file, CancellationToken ct) =>
        (await covers.GetAsync(file, request.Query["size"], request.Headers.IfNoneMatch.ToString() is { Length: > 0 } etag ? etag : null, ct)).ToResult();
}
