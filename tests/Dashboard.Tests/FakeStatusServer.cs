using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Api;
using System.Net;
using System.Text.Json;
using FunctionsCrawler.Data;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Dashboard.Tests;

/// <summary>
/// A tiny Kestrel on 127.0.0.1:&lt;free port&gt; with the dashboard, a status route whose answer the test sets, and the
/// dataset routes over rows the test sets (listing and figures through the core's own <see cref="PlaylistQuery"/> and
/// <see cref="PlaylistStats"/>; every cover is one small JPEG).
/// </summary>
public sealed class FakeStatusServer : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Answer(int StatusCode, string Body);

    private readonly WebApplication _app;
    private volatile Answer _status = NoCrawlAnswer;
    private volatile Answer _crawl = NoCrawlAnswer;
    private string _crawlId = "";
    private volatile List<PlaylistRecord> _rows = [];
    private volatile List<CrawlStatus> _crawls = [];

    private static readonly Answer NoCrawlAnswer =
        new(404, JsonSerializer.Serialize(new { error = "No crawl has been started yet: POST /api/crawls or run ./run.sh." }, Json));

    private FakeStatusServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;
    public Uri DashboardUrl => new(BaseAddress, "/api/dashboard");

    public static async Task<FakeStatusServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeStatusServer(app);

        app.MapGet("/api/dashboard", () => Results.Content(DashboardPage.Html, "text/html; charset=utf-8"));
        app.MapGet("/api/status", () => Write(server._status));
        app.MapGet("/api/crawls/{crawlId}", (string crawlId) =>
            crawlId == server._crawlId ? Write(server._crawl)
                : Results.Content(JsonSerializer.Serialize(new { error = $"No crawl '{crawlId}'." }, Json), "application/json", statusCode: 404));

        app.MapGet("/api/playlists", (string? category, string? q, string? sort, string? top, string? continuation) =>
        {
            try
            {
                var query = PlaylistQuery.Parse(category, q, sort, top, continuation);
                return ApiResult.Data(query.Apply(server._rows.Where(r => query.Category is null || r.Category == query.Category), truncated: false)).ToResult();
            }
            catch (CrawlQueryException e) { return ApiResult.Fail(400, e.Message).ToResult(); }
        });
        app.MapGet("/api/playlists/stats", () => ApiResult.Data(new DatasetStats(
            server._rows.GroupBy(r => r.Category).Select(g => PlaylistStats.Of(g.Key, [.. g], truncated: false)).ToList())).ToResult());
        app.MapGet("/api/playlists/{playlistId}/history", (string playlistId, string? category) =>
        {
            var row = server._rows.FirstOrDefault(r => r.Detail.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == playlistId && r.Category == category);
            if (row is null) return ApiResult.Fail(404, $"No playlist '{playlistId}' in the dataset.").ToResult();
            var latest = PlaylistPoint.Of(row, "completed");
            var previous = latest with { CrawlId = "20261124-030000-cd34", CrawledAt = row.CrawledAt.AddDays(-7), PlayCount = row.Detail.PlayCount - 1234, SubscribedCount = row.Detail.SubscribedCount + 2 };
            return ApiResult.Data(new PlaylistHistory(row.Detail.Id,
            [
                new CategoryHistory(row.Category, row.Detail.Name, latest, previous, new PlaylistChange(1234, -2, 7, previous.CrawlId), [latest, previous]),
            ])).ToResult();
        });
        app.MapGet("/api/covers/{file}", (string file) => ApiResult.File(FixtureDataset.CoverJpeg, "image/jpeg",
            new Dictionary<string, string> { ["Cache-Control"] = CoverRoute.CacheControl }).ToResult());
        app.MapGet("/api/crawls", () => Results.Content(JsonSerializer.Serialize(new { crawls = server._crawls, continuation = (string?)null }, Json), "application/json"));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>Serves this status, serialized the way both hosts do (System.Text.Json web defaults).</summary>
    public void Serve(CrawlStatus status) => _status = new(200, JsonSerializer.Serialize(status, Json));

    public void ServeNoCrawl() => _status = NoCrawlAnswer;

    /// <summary>The dataset's latest view behind <c>/api/playlists</c>, its figures, history and covers.</summary>
    public void ServeDataset(IEnumerable<PlaylistRecord> rows) => _rows = [.. rows];

    /// <summary>The crawls <c>GET /api/crawls</c> lists (one page).</summary>
    public void ServeCrawls(IEnumerable<CrawlStatus> crawls) => _crawls = [.. crawls];

    public void ServeCrawl(CrawlStatus status)
    {
        _crawlId = status.CrawlId;
        _crawl = new(200, JsonSerializer.Serialize(status, Json));
    }

    private static IResult Write(Answer answer)
    {
        return Results.Content(answer.Body, "application/json; charset=utf-8", statusCode: answer.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
