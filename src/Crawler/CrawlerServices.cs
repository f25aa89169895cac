using FunctionsCrawler.Configuration;
using FunctionsCrawler.Export;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler;

/// <summary>Registers the crawl's core services; each host adds its own <see cref="Progress.ICrawlProgressSink"/>.</summary>
public static class CrawlerServices
{
    public static IServiceCollection AddCrawler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NetEaseOptions>().Bind(configuration.GetSection(NetEaseOptions.Section));
        services.AddOptions<CrawlerOptions>().Bind(configuration.GetSection(CrawlerOptions.Section));
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton(_ => StorageClients.FromConfiguration(configuration));
        services.AddSingleton<CrawlQueues>();
        services.AddSingleton<CrawlTable>();
        services.AddSingleton<PlaylistTable>();
        services.AddSingleton<CoverStore>();
        services.AddSingleton<CrawlExport>();
        services.AddSingleton<CrawlStorage>();

        services.AddSingleton(sp => new HostRateLimiter(sp.GetRequiredService<IOptions<NetEaseOptions>>().Value.RequestsPerSecond,
            sp.GetRequiredService<SitePushback>(), sp.GetRequiredService<TimeProvider>()));
        services.AddTransient<HostRateLimitHandler>();
        var http = services.AddHttpClient<NetEaseClient>(NetEaseClient.HttpClientName);
        http.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        http.AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions o, IServiceProvider sp) =>
            {
                var site = sp.GetRequiredService<IOptions<NetEaseOptions>>().Value;
                // The attempt timeout includes the wait for the rate limiter (it sits inside), so it scales with the queue of waiters.
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(site.AttemptTimeoutSeconds);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(site.AttemptTimeoutSeconds * 4);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(site.AttemptTimeoutSeconds * 2);
                o.Retry.MaxRetryAttempts = 3;
                o.Retry.UseJitter = true;
                o.Retry.Delay = TimeSpan.FromSeconds(1);
            });
        // Added after the resilience handler, so it runs inside it: every attempt, retries included, waits its turn.
        http.AddHttpMessageHandler<HostRateLimitHandler>();
        services.AddSingleton<SitePushback>();
        services.AddSingleton<Politeness>();
        services.AddSingleton<StartCrawl>();
        services.AddSingleton<ScrapeListPage>();
        services.AddSingleton<ScrapePlaylist>();
        services.AddSingleton<ResumeCrawl>();
        services.AddSingleton<ResumeStalledCrawls>();
        services.AddSingleton<CrawlQueries>();
        return services;
    }

    /// <summary>Fails at start, with one message naming each wrong setting.</summary>
    public static void ValidateCrawlerSettings(this IServiceProvider services)
    {
        CrawlerConfigurationException.ThrowIfAny(
            services.GetRequiredService<IOptions<NetEaseOptions>>().Value.Problems()
                .Concat(services.GetRequiredService<IOptions<CrawlerOptions>>().Value.Problems()));
    }
}
