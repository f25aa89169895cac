using FunctionsCrawler.Functions.Status;
using FunctionsCrawler.Hosting;
using FunctionsCrawler.Logging;
using FunctionsCrawler.Progress;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;

namespace FunctionsCrawler.Functions;

/// <summary>
/// Registrations of the Functions app: the crawler core, its progress store over the Durable entity, the start-up check
/// and host.json (the core's), and telemetry. What is the app's own is the bindings, the kept Durable client and the timers' schedules as the host sees them.
/// </summary>
public static class FunctionsSetup
{
    public static IServiceCollection AddCrawlerFunctions(this IServiceCollection services, IConfiguration configuration) =>
        services.AddCrawlerFunctions(configuration, AppContext.BaseDirectory);

    /// <param name="appDirectory">Where host.json is: beside the app when deployed or run by func.</param>
    public static IServiceCollection AddCrawlerFunctions(this IServiceCollection services, IConfiguration configuration, string appDirectory)
    {
        services.AddStartupCheck();
        services.AddSingleton(HostJson.Load(appDirectory, configuration));
        services.AddSingleton<DurableClients>();
        services.AddProgressStore<DurableProgressSink>();
        services.AddCrawler(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFunctionMetadataTransformer, TimerSchedules>());
        services.AddSingleton<ICrawlStatusStore, DurableCrawlStatusStore>();
        // Worker logs (with their CrawlId scope) and dependencies (each request to the site, each storage call) go straight to
        // Application Insights; the worker reads APPLICATIONINSIGHTS_CONNECTION_STRING and, for the identity, _AUTHENTICATION_STRING.
        services.AddApplicationInsightsTelemetryWorkerService();
        services.ConfigureFunctionsApplicationInsights();
        services.AddSafeCrawlerLogs(); // last: it wraps the logger providers the worker registered
        return services;
    }
}
