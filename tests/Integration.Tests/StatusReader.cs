using System.Text.Json;
using FunctionsCrawler.Api;
using FunctionsCrawler.WebJobsHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// What <c>GET /api/status</c> and <c>/api/crawls</c> answer on a storage account once a crawl's host has exited: the
/// WebJobs host's own services (its settings, its Durable client, its routes' code), built in this process and never
/// started, so no trigger runs. A test reads the final status this way instead of starting a host process to ask it.
/// </summary>
public sealed class StatusReader : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StatusReader(WebApplication app) => _app = app;

    public static StatusReader On(StorageAccount account)
    {
        string[] args = [$"--AzureWebJobsStorage={account.ConnectionString}"];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Repo.Root });
        builder.AddCrawlerHost(args, Repo.Root);
        return new StatusReader(builder.Build());
    }

    /// <summary><c>GET /api/status</c>: the latest crawl.</summary>
    public Task<JsonElement> StatusAsync() => ReadAsync("api/status", api => api.StatusAsync(CancellationToken.None));

    /// <summary><c>GET /api/crawls/{crawlId}</c>.</summary>
    public Task<JsonElement> CrawlAsync(string crawlId) => ReadAsync($"api/crawls/{crawlId}", api => api.CrawlAsync(crawlId, CancellationToken.None));

    /// <summary><c>GET /api/crawls</c>: the newest first.</summary>
    public Task<JsonElement> CrawlsAsync() => ReadAsync("api/crawls", api => api.ListCrawlsAsync(null, null, CancellationToken.None));

    private async Task<JsonElement> ReadAsync(string route, Func<CrawlApi, Task<ApiResult>> read)
    {
        var result = await read(_app.Services.GetRequiredService<CrawlApi>());
        using var body = new MemoryStream();
        await result.WriteBodyAsync(body, CancellationToken.None);
        if (result.StatusCode != 200) throw new InvalidOperationException($"GET /{route} answered {result.StatusCode}: {System.Text.Encoding.UTF8.GetString(body.ToArray())}");
        return JsonDocument.Parse(body.ToArray()).RootElement.Clone();
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
