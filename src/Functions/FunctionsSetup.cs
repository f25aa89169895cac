using FunctionsCrawler.Functions.Status;
using FunctionsCrawler.Logging;
using FunctionsCrawler.Progress;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsCrawler.Functions;

/// <summary>Registrations of the Functions app: the crawler core, its Durable-backed progress sink, the start-up checks and telemetry.</summary>
public static class FunctionsSetup
{
    public static IServiceCollection AddCrawlerFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCrawler(configuration);
        services.AddSingleton<ICrawlProgressSink, DurableProgressSink>();
        services.AddSingleton<ICrawlStatusStore, DurableCrawlStatusStore>();
        services.AddSingleton(QueueDelivery.FromConfiguration(configuration, AppContext.BaseDirectory));
        services.AddHostedService<StorageSetup>();
        // Worker logs (with their CrawlId scope) and dependencies (each request to the site, each storage call) go straight to
        // Application Insights; the worker reads APPLICATIONINSIGHTS_CONNECTION_STRING and, for the identity, _AUTHENTICATION_STRING.
        services.AddApplicationInsightsTelemetryWorkerService();
        services.ConfigureFunctionsApplicationInsights();
        services.AddSafeCrawlerLogs(); // last: it wraps the logger providers the worker registered
        return services;
    }
}
