using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Api;
using System.Collections.Concurrent;
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
/// <see cref="PlaylistStats"/>, tracks through <see cref="PlaylistTracksView"/> and <see cref="TopTracks"/> over
/// <see cref="FixtureDataset.Lists"/>; every cover is one small JPEG; <c>playlists.csv</c> a small CSV). It records every
/// request it sees and, once told a key (<see cref="RequireKey"/>), answers the dataset's routes 401 without it, as Azure does.
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
    private readonly ConcurrentQueue<Seen> _seen = new();
    private volatile string? _requiredKey;

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

        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var key = request.Headers["x-functions-key"].ToString() is { Length: > 0 } given ? given : null;
            // The request line as sent, not decoded: what a server's or proxy's log would keep.
            server._seen.Enqueue(new Seen(context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget, key));
            if (server._requiredKey is { } required && IsKeyed(request.Path) && key != required)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            await next(context);
        });
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
                new CategoryHistory(row.Category, row.Detail.Name, latest, previous, new PlaylistChange(1234, -2, 7, previous.CrawlId), [latest, previous],
                    HistoryPoints(row)),
            ])).ToResult();
        });
        app.MapGet("/api/playlists/{playlistId}/tracks", (string playlistId, string? category, string? skip, string? top) =>
        {
            var row = server._rows.FirstOrDefault(r => r.Detail.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == playlistId
                && (string.IsNullOrEmpty(category) || r.Category == category));
            if (row is null) return ApiResult.Fail(404, $"No playlist '{playlistId}' in the dataset.").ToResult();
            var list = FixtureDataset.Lists.GetValueOrDefault(row.Detail.Id);
            return ApiResult.Data(PlaylistTracksView.Of(row, list, FixtureDataset.Songs, TrackBrowser.ParseSkip(skip),
                PlaylistQuery.ParseTop(top, PlaylistTracksView.DefaultTop, PlaylistTracksView.MaxTop))).ToResult();
        });
        app.MapGet("/api/tracks", async (string? category, string? top, string? q, CancellationToken ct) =>
        {
            var lists = server._rows.Where(r => (string.IsNullOrEmpty(category) || r.Category == category) && r.Tracks is not null)
                .DistinctBy(r => r.Detail.Id).Select(r => FixtureDataset.Lists[r.Detail.Id].Select(t => t.TrackId));
            var ranking = await TopTracks.RankAsync(lists.ToAsyncEnumerable(), truncated: false, ct);
            var (items, searched) = await TopTracks.PickAsync(ranking.Ranked, q, PlaylistQuery.ParseTop(top, TopTracksView.DefaultTop, TopTracksView.MaxTop),
                _ => Task.FromResult(FixtureDataset.Songs));
            return ApiResult.Data(new TopTracksView(category, "20261201-030000-ab12", ranking.Playlists, ranking.Counted, false, q, q is null ? null : searched, items)).ToResult();
        });
        app.MapGet("/api/categories/{category}/changes", (string category, string? top) =>
        {
            var rows = server._rows.Where(r => r.Category == CategoryChanges.RouteCategory(category)).OrderByDescending(r => r.Detail.PlayCount).ToList();
            if (rows.Count == 0) return ApiResult.Fail(404, $"No completed crawl of category '{category}' yet.").ToResult();
            return ApiResult.Data(Changes(rows, CategoryChanges.ParseTop(top))).ToResult();
        });
        app.MapGet("/api/covers/{file}", (string file) => ApiResult.File(FixtureDataset.CoverJpeg, "image/jpeg",
            new Dictionary<string, string> { ["Cache-Control"] = CoverRoute.CacheControl }).ToResult());
        app.MapGet("/api/playlists.csv", () => ApiResult.Stream("text/csv; charset=utf-8", (body, ct) => body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(Csv), ct).AsTask(),
            new Dictionary<string, string> { ["Content-Disposition"] = "attachment; filename=\"playlists.csv\"" }).ToResult());
        app.MapGet("/api/crawls", () => Results.Content(JsonSerializer.Serialize(new { crawls = server._crawls, continuation = (string?)null }, Json), "application/json"));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>The body of <c>playlists.csv</c>.</summary>
    public const string Csv = "playlist_id,name\r\n9001,one\r\n";

    /// <summary>A request as the server saw it: its target (path and query, as sent) and its <c>x-functions-key</c> header.</summary>
    public sealed record Seen(string Target, string? Key);

    /// <summary>Every request seen since the start or the last <see cref="ClearRequests"/>, in order.</summary>
    public IReadOnlyList<Seen> Requests => [.. _seen];

    public void ClearRequests() => _seen.Clear();

    /// <summary>From now on the dataset's routes answer 401 without this key in <c>x-functions-key</c>, as they do on Azure.</summary>
    public void RequireKey(string key) => _requiredKey = key;

    /// <summary>The routes that take a function key on Azure: all but the page and the status routes.</summary>
    public static bool IsKeyed(PathString path) =>
        !(path.StartsWithSegments("/api/dashboard") || path.StartsWithSegments("/api/status") || path.StartsWithSegments("/api/crawls"));

    /// <summary>A daily history of a week, oldest first, growing by 100 plays a day up to the row's plays.</summary>
    public static IReadOnlyList<HistoryPoint> HistoryPoints(PlaylistRecord row) =>
        [.. Enumerable.Range(0, HistoryDays).Select(d => new HistoryPoint(row.CrawledAt.AddDays(d - HistoryDays + 1), row.Detail.PlayCount - 100L * (HistoryDays - 1 - d),
            row.Detail.SubscribedCount, row.Detail.ShareCount, row.Detail.CommentCount, row.Detail.TrackCount))];

    public const int HistoryDays = 7;

    /// <summary>
    /// A category's changes as the core's route shapes them: the three most played grew by their id, the next two are new,
    /// and one gone playlist carries a hostile name.
    /// </summary>
    public static CategoryChangesView Changes(IReadOnlyList<PlaylistRecord> rows, int top)
    {
        static string History(PlaylistRecord r) => $"playlists/{r.Detail.Id}/history?category={Uri.EscapeDataString(r.Category)}";
        var grew = rows.Take(3).Select(r => new PlaylistGrowth(r.Detail.Id, r.Detail.Name, r.Detail.PlayCount - r.Detail.Id, r.Detail.PlayCount, r.Detail.Id, History(r)));
        var added = rows.Skip(3).Take(2).Select(r => new ListedPlaylist(r.Detail.Id, r.Detail.Name, r.Detail.PlayCount, History(r)));
        ListedPlaylist[] gone = [new(77, GoneName, 4321, $"playlists/77/history?category={Uri.EscapeDataString(rows[0].Category)}")];
        return new CategoryChangesView(rows[0].Category, "20261201-030000-ab12", rows[0].CrawledAt, "20261124-030000-cd34", rows[0].CrawledAt.AddDays(-7),
            2, 1, [.. added.Take(top)], gone, [.. grew.OrderByDescending(g => g.Increase).Take(top)]);
    }

    public const string GoneName = "<img src=x onerror=window.__pwned=5>";

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
