using FunctionsCrawler.Storage;
using Microsoft.Extensions.Hosting;

namespace FunctionsCrawler.Functions;

/// <summary>Checks the settings and creates the crawl's queues, tables and container when the worker starts; a wrong setting stops it with one message naming it.</summary>
public sealed class StorageSetup(IServiceProvider services, CrawlStorage storage) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        services.ValidateCrawlerSettings();
        await storage.EnsureCreatedAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
