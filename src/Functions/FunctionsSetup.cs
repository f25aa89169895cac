using FunctionsCrawler.Functions.Status;
using FunctionsCrawler.Logging;
using FunctionsCrawler.Progress;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsCrawler.Functions;

/// <summary>Registrations of the Functions app: the crawler core, its Durable-backed progress sink, and the start-up checks.</summary>
public static class FunctionsSetup
{
    public static IServiceCollection AddCrawlerFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCrawler(configuration);
        services.AddSingleton<ICrawlProgressSink, DurableProgressSink>();
        services.AddSingleton<ICrawlStatusStore, DurableCrawlStatusStore>();
        services.AddSingleton(QueueDelivery.FromConfiguration(configuration, AppContext.BaseDirectory));
        services.AddHostedService<StorageSetup>();
        services.AddSafeCrawlerLogs(); // last: it wraps the logger providers the worker registered
        return services;
    }
}
