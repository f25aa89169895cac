using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Progress;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Hosting;

/// <summary>The crawl's settings, as both hosts bind and check them (the core's namespaces do not depend on the registrations' root).</summary>
public static class CrawlerSettings
{
    /// <summary>
    /// Binds every settings section of the crawl and validates it when the host starts (<c>ValidateOnStart</c>): a wrong
    /// setting stops the host before any trigger listens, with one sentence naming the setting.
    /// </summary>
    public static IServiceCollection AddCrawlerOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NetEaseOptions>().Bind(configuration.GetSection(NetEaseOptions.Section)).ValidateOnStart();
        services.AddOptions<CrawlerOptions>().Bind(configuration.GetSection(CrawlerOptions.Section)).ValidateOnStart();
        services.AddOptions<ProgressStoreOptions>().Bind(configuration.GetSection(ProgressStoreOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NetEaseOptions>, NetEaseOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CrawlerOptions>, CrawlerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProgressStoreOptions>, ProgressStoreOptionsValidator>());
        return services;
    }

    /// <summary>
    /// Every wrong setting of every section in one <see cref="CrawlerConfigurationException"/> (the start-up check's, and
    /// what a host prints when <c>ValidateOnStart</c> stops it).
    /// </summary>
    public static void ValidateCrawlerSettings(this IServiceProvider services)
    {
        var problems = new List<string>();
        void Check<T>() where T : class
        {
            try { _ = services.GetRequiredService<IOptions<T>>().Value; }
            catch (OptionsValidationException e) { problems.AddRange(e.Failures); }
        }
        Check<NetEaseOptions>();
        Check<CrawlerOptions>();
        Check<ProgressStoreOptions>();
        if (problems.Count > 0) throw new CrawlerConfigurationException(string.Join(" ", problems));
    }
}
