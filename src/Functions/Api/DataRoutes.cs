using FunctionsCrawler.Data;
using FunctionsCrawler.Functions.Status;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsCrawler.Functions.Api;

/// <summary>
/// The dataset's routes: the data view's pages, its figures, a playlist's history, the Parquet export and the covers.
/// They hand out the dataset itself, so each takes a function key (<c>?code=</c> or <c>x-functions-key</c>).
/// </summary>
public sealed class DataRoutes(PlaylistBrowser browser, CoverRoute covers, DurableClients clients)
{
    [Function("ListPlaylists")]
    public async Task<IResult> ListPlaylists([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists")] HttpRequest request, CancellationToken ct) =>
        (await browser.ListAsync(request.Query["category"], request.Query["q"], request.Query["sort"], request.Query["top"], request.Query["continuation"], ct)).ToResult();

    [Function("PlaylistStats")]
    public async Task<IResult> GetStats([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists/stats")] HttpRequest request, CancellationToken ct) =>
        (await browser.StatsAsync(request.Query["category"], ct)).ToResult();

    /// <summary>Binds the Durable client: the history reads each crawl's state from its status entity.</summary>
    [Function("PlaylistHistory")]
    public async Task<IResult> GetHistory([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists/{playlistId}/history")] HttpRequest request,
        string playlistId, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        clients.Keep(durable);
        return (await browser.HistoryAsync(playlistId, request.Query["category"], ct)).ToResult();
    }

    [Function("ExportPlaylistsParquet")]
    public async Task<IResult> ExportPlaylistsParquet([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists.parquet")] HttpRequest request, CancellationToken ct) =>
        (await browser.ParquetAsync(request.Query["category"], request.Query["crawlId"], ct)).ToResult();

    [Function("GetCover")]
    public async Task<IResult> GetCover([HttpTrigger(AuthorizationLevel.Function, "get", Route = "covers/{file}")] HttpRequest request, string file, CancellationToken ct) =>
        (await covers.GetAsync(file, request.Query["size"], request.Headers.IfNoneMatch.ToString() is { Length: > 0 } etag ? etag : null, ct)).ToResult();
}
