using FunctionsCrawler.Api;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>The design's HTTP routes on ASP.NET Core minimal APIs: each binds its parameters and maps the core's answer in one line.</summary>
public static class CrawlRoutes
{
    public static WebApplication MapCrawlRoutes(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/status", async (CrawlApi crawls, CancellationToken ct) => (await crawls.StatusAsync(ct)).ToResult());
        api.MapGet("/dashboard", (CrawlApi crawls) => crawls.Dashboard().ToResult());
        api.MapGet("/crawls", async (string? top, string? continuation, CrawlApi crawls, CancellationToken ct) =>
            (await crawls.ListCrawlsAsync(top, continuation, ct)).ToResult());
        api.MapGet("/crawls/{crawlId}", async (string crawlId, CrawlApi crawls, CancellationToken ct) => (await crawls.CrawlAsync(crawlId, ct)).ToResult());
        api.MapPost("/crawls", async (HttpRequest request, CrawlApi crawls, CancellationToken ct) =>
            (await crawls.StartCrawlAsync(ApiRequest.From(request), ct)).ToResult());
        api.MapPost("/crawls/{crawlId}/requeue-failed", async (string crawlId, HttpRequest request, CrawlApi crawls, CancellationToken ct) =>
            (await crawls.RequeueFailedAsync(crawlId, ApiRequest.From(request), ct)).ToResult());
        api.MapGet("/playlists.csv", async (string? category, string? crawlId, CrawlApi crawls, CancellationToken ct) =>
            (await crawls.PlaylistsCsvAsync(category, crawlId, ct)).ToResult());
        return app;
    }
}
