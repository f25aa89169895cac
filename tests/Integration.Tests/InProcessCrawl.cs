using FunctionsCrawler.Progress;
using FunctionsCrawler.Sandbox;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// The crawler's services in-process on one storage account, pointed at a Sandbox of its own, with the status kept in
/// memory: what the step tests (list page, playlists, tracks) run their step on. Paced per process at 1,000 req/s.
/// </summary>
public abstract class InProcessCrawl : IAsyncDisposable
{
    public required SandboxSite Site { get; init; }
    public required ServiceProvider Services { get; init; }
    public required InMemoryStatusEntities Sink { get; init; }
    public StorageClients Clients => Services.GetRequiredService<StorageClients>();

    /// <summary>Starts the Sandbox and the services, with <paramref name="settings"/> over the defaults, and creates the storage.</summary>
    protected static async Task<(SandboxSite Site, ServiceProvider Services, InMemoryStatusEntities Sink)> StartCrawlerAsync(StorageAccount account,
        SandboxOptions options, IReadOnlyDictionary<string, string?> settings)
    {
        var site = await SandboxSite.StartAsync(options);
        var values = new Dictionary<string, string?>
        {
            [StorageClients.ConnectionName] = account.ConnectionString,
            ["NetEase:BaseUrl"] = site.BaseUrl.ToString(),
            ["NetEase:RequestsPerSecond"] = "1000",
            ["NetEase:SharedPacer"] = "false",
            ["NetEase:RetryDelaySeconds"] = "0.01",
        };
        foreach (var (key, value) in settings) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var sink = new InMemoryStatusEntities();
        var services = new ServiceCollection().AddLogging().AddCrawler(configuration).AddSingleton<ICrawlProgressSink>(sink).BuildServiceProvider();
        await services.GetRequiredService<CrawlStorage>().EnsureCreatedAsync(default);
        return (site, services, sink);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Site.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
