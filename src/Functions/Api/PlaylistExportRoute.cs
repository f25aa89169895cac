using FunctionsCrawler.Export;
using FunctionsCrawler.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsCrawler.Functions.Api;

/// <summary>
/// <c>GET /api/playlists.csv[?category=]</c>: the latest crawl's playlists as CSV, streamed from the table.
/// The dataset is more than crawl figures, so it takes a function key (<c>?code=</c> or <c>x-functions-key</c>).
/// </summary>
public sealed class PlaylistExportRoute(CrawlTable crawls, CrawlExport export)
{
    [Function("ExportPlaylistsCsv")]
    public async Task<IResult> ExportPlaylistsCsv([HttpTrigger(AuthorizationLevel.Function, "get", Route = "playlists.csv")] HttpRequest request,
        CancellationToken ct)
    {
        if (await crawls.LatestAsync(ct) is not { } crawl) return ApiResults.NoCrawl();
        string? category = request.Query["category"];
        var response = request.HttpContext.Response;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = "attachment; filename=\"playlists.csv\"";
        await export.WriteCsvAsync(crawl, string.IsNullOrEmpty(category) ? crawl.Categories : [category], response.Body, ct);
        return Results.Empty;
    }
}
