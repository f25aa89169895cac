using FunctionsCrawler.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsCrawler.Functions.Api;

/// <summary><c>GET /api/playlists.csv[?category=&amp;crawlId=]</c>: the latest crawl's (or that crawl's) playlists as CSV, streamed from the table.</summary>
public sealed class PlaylistExportRoute(CrawlApi api)
{
    [Function("ExportPlaylistsCsv")]
    public async Task<IResult> ExportPlaylistsCsv([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "playlists.csv")] HttpRequest request,
        CancellationToken ct) =>
        (await api.PlaylistsCsvAsync(request.Query["category"], request.Query["crawlId"], ct)).ToResult();
}
