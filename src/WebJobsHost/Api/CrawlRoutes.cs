using System.Text.Json;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Export;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>The design's HTTP routes on ASP.NET Core, each a thin call into the core.</summary>
public static class CrawlRoutes
{
    public static readonly JsonSerializerOptions Json = Progress.StatusJson.Options;

    /// <summary>The optional body of <c>POST /api/crawls</c>; <c>new</c> cancels an unfinished crawl in the way instead of a 409.</summary>
    public sealed record StartCrawlRequest(List<string>? Categories, int? MaxPages, bool? New);

    public static WebApplication MapCrawlRoutes(this WebApplication app)
    {
        var api = app.MapGroup("/api");

        api.MapGet("/status", async (CrawlQueries queries, CancellationToken ct) =>
            await queries.FindStatusAsync(null, ct) is { } status ? Results.Json(status, Json) : NoCrawl());

        api.MapGet("/dashboard", () => Results.Content(FunctionsCrawler.Dashboard.DashboardPage.Html, "text/html; charset=utf-8"));

        api.MapGet("/crawls", async (string? top, string? continuation, CrawlQueries queries, CancellationToken ct) =>
        {
            try { return Results.Json(await queries.ListAsync(top, continuation, ct), Json); }
            catch (CrawlQueryException e) { return Results.Json(new { error = e.Message }, Json, statusCode: 400); }
        });

        api.MapGet("/crawls/{crawlId}", async (string crawlId, CrawlQueries queries, CancellationToken ct) =>
            await queries.FindStatusAsync(crawlId, ct) is { } status ? Results.Json(status, Json)
                : Results.Json(new { error = $"No crawl '{crawlId}'." }, Json, statusCode: 404));

        api.MapPost("/crawls", async (HttpRequest request, StartCrawl start, IOptions<CrawlerOptions> crawler, CancellationToken ct) =>
        {
            StartCrawlRequest? body = null;
            if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                try { body = await request.ReadFromJsonAsync<StartCrawlRequest>(Json, ct); }
                catch (JsonException e) { return Results.Json(new { error = $"Body is not valid JSON: {e.Message}" }, Json, statusCode: 400); }
            }
            var categories = body?.Categories ?? [.. crawler.Value.CategoryList];
            try
            {
                var crawl = await start.RunAsync(categories, body?.MaxPages ?? crawler.Value.MaxPages, "http",
                    body?.New == true ? OverlapPolicy.CancelUnfinished : OverlapPolicy.Refuse, ct);
                return Results.Json(new { crawl.CrawlId, statusUri = $"/api/crawls/{crawl.CrawlId}" }, Json, statusCode: 202);
            }
            catch (CrawlOverlapException e)
            {
                return Results.Json(new { error = e.Message, crawlId = e.CrawlId }, Json, statusCode: 409);
            }
            catch (CrawlerConfigurationException e)
            {
                return Results.Json(new { error = e.Message }, Json, statusCode: 400);
            }
        });

        api.MapPost("/crawls/{crawlId}/requeue-failed", async (string crawlId, CrawlQueries queries, CrawlTable crawls, CancellationToken ct) =>
            await crawls.GetAsync(crawlId, ct) is null
                ? Results.Json(new { error = $"No crawl '{crawlId}'." }, Json, statusCode: 404)
                : Results.Json(new { crawlId, requeued = await queries.RequeueFailedAsync(crawlId, ct) }, Json, statusCode: 202));

        api.MapGet("/playlists.csv", async (string? category, HttpContext http, CrawlTable crawls, CrawlExport export, CancellationToken ct) =>
        {
            if (await crawls.LatestAsync(ct) is not { } crawl) return NoCrawl();
            var categories = category is null ? crawl.Categories : [category];
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"playlists.csv\"";
            await export.WriteCsvAsync(crawl, categories, http.Response.Body, ct);
            return Results.Empty;
        });
        return app;
    }

    private static IResult NoCrawl() => Results.Json(new { error = "No crawl has been started yet: POST /api/crawls or run ./run.sh." }, Json, statusCode: 404);
}
