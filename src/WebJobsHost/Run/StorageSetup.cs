using FunctionsCrawler.Configuration;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>Checks the settings and creates the crawl's storage before the triggers and routes start; stops the host (exit code 2) if either fails.</summary>
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
        catch (CrawlerConfigurationException)
        {
            // Program says what is wrong: a connection string that does not parse fails before this runs.
            Environment.ExitCode = ExitBadSettings;
            lifetime.StopApplication();
            throw;
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
