using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Logging;

/// <summary>Puts <see cref="SafeLoggerProvider"/> around every logger provider a host has registered.</summary>
public static class CrawlerLogging
{
    /// <summary>Call after the host's logging is configured: providers registered later are not wrapped.</summary>
    public static IServiceCollection AddSafeCrawlerLogs(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(HostStopping))) return services; // already wrapped
        services.AddSingleton<HostStopping>();
        services.AddHostedService<HostStoppingWatch>();
        for (var i = 0; i < services.Count; i++)
        {
            var provider = services[i];
            if (provider.ServiceType != typeof(ILoggerProvider) || provider.IsKeyedService) continue;
            services[i] = ServiceDescriptor.Describe(typeof(ILoggerProvider),
                sp => new SafeLoggerProvider(Create(sp, provider), sp.GetRequiredService<HostStopping>()), provider.Lifetime);
        }
        return services;
    }

    private static ILoggerProvider Create(IServiceProvider sp, ServiceDescriptor provider) =>
        (ILoggerProvider)(provider.ImplementationInstance
            ?? provider.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, provider.ImplementationType!));
}
