using FunctionsCrawler.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsCrawler.Functions.Api;

/// <summary>
/// The dataset's routes: the data view's pages, its figures, a playlist's history, the exports (the crawl's Parquet, the
/// history's Parquet and CSV), a category's changes and the covers. They hand out the dataset itself, so each takes a
/// function key (<c>?code=</c> or <c>x-functions-key</c>).
/// </summary>
public sealed class DataRoutes(PlaylistBrowser browser, CategoryChanges changes, CoverRoute covers)
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

    [Function("CategoryChanges")]
    public async Task<IResult> GetCategoryChanges([HttpTrigger(AuthorizationLevel.Function, "get", Route = "categories/{category}/changes")] HttpRequest request,
        string category, CancellationToken ct) =>
        (await changes.GetAsync(category, request.Query["top"], ct)).ToResult();

    [Function("GetCover")]
    public async Task<IResult> GetCover([HttpTrigger(AuthorizationLevel.Function, "get", Route = "covers/{file}")] HttpRequest request, string file, CancellationToken ct) =>
        (await covers.GetAsync(file, request.Query["size"], request.Headers.IfNoneMatch.ToString() is { Length: > 0 } etag ? etag : null, ct)).ToResult();
}
