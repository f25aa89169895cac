using System.Net;
using System.Text.Json;
using FunctionsCrawler.Progress;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Dashboard.Tests;

/// <summary>A tiny Kestrel on 127.0.0.1:&lt;free port&gt; with the dashboard and a status route whose answer the test sets.</summary>
public sealed class FakeStatusServer : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Answer(int StatusCode, string Body);

    private readonly WebApplication _app;
    private volatile Answer _status = NoCrawlAnswer;
    private volatile Answer _crawl = NoCrawlAnswer;
    private string _crawlId = "";

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
        app.MapGet("/api/status", () => server.Write(server._status));
        app.MapGet("/api/crawls/{crawlId}", (string crawlId) =>
            crawlId == server._crawlId ? server.Write(server._crawl)
                : Results.Content(JsonSerializer.Serialize(new { error = $"No crawl '{crawlId}'." }, Json), "application/json", statusCode: 404));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>Serves this status, serialized the way both hosts do (System.Text.Json web defaults).</summary>
    public void Serve(CrawlStatus status) => _status = new(200, JsonSerializer.Serialize(status, Json));

    public void ServeNoCrawl() => _status = NoCrawlAnswer;

    public void ServeCrawl(CrawlStatus status)
    {
        _crawlId = status.CrawlId;
        _crawl = new(200, JsonSerializer.Serialize(status, Json));
    }

    private IResult Write(Answer answer)
    {
        return Results.Content(answer.Body, "application/json; charset=utf-8", statusCode: answer.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
