using FunctionsCrawler.Configuration;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>Checks the settings and creates the crawl's storage before the triggers and routes start; stops the host with a clear message if either fails.</summary>
public sealed class StorageSetup(IServiceProvider services, CrawlStorage storage, IHostApplicationLifetime lifetime) : IHostedService
{
    public const int ExitBadSettings = 2;

    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            services.ValidateCrawlerSettings();
            await storage.EnsureCreatedAsync(ct);
        }
        catch (CrawlerConfigurationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Environment.ExitCode = ExitBadSettings;
            lifetime.StopApplication();
            throw;
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
