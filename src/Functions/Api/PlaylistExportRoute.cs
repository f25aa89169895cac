using FunctionsCrawler.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsCrawler.Functions.Api;

/// <summary>
/// <c>GET /api/playlists.csv[?category=&amp;crawlId=]</c>: the latest crawl's (or that crawl's) playlists as CSV, streamed from the table.
/// The dataset is more than crawl figures, so it takes a function key (<c>?code=</c> or <c>x-functions-key</c>).
/// </summary>
public sealed class PlaylistExportRoute(CrawlApi api)
{
    [Function("ExportPlaylistsCsv")]
    public async Task<IResult> ExportPlaylistsCsv([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists.csv")] HttpRequest request,
        CancellationToken ct) =>
        (await api.PlaylistsCsvAsync(request.Query["category"], request.Query["crawlId"], ct)).ToResult();
}
