using FunctionsCrawler.Configuration;
using FunctionsCrawler.Logging;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Hosting;

/// <summary>
/// The start-up check of both hosts, before any trigger listens or route answers: the settings are valid and the
/// storage account answers (its queues, tables and container are created if missing). A failure stops the host with
/// one line naming the setting and exit code 2 (<see cref="CrawlerHost.RunAsync"/>). <c>./run.sh</c> also checks the
/// site (<see cref="SiteProblemAsync"/>) before it starts a crawl.
/// Its storage clients are resolved when it is built, before the hosts' other services: a connection string that does
/// not parse is then this check's one named line, not a stack trace from the Durable extension. What reads the settings
/// is resolved only once they passed, so a wrong one is named by the check, not thrown by a constructor.
/// </summary>
public sealed class StartupCheck(IServiceProvider services, StorageClients storageClients, IHostApplicationLifetime lifetime) : IHostedService
{
    public const int ExitBadSettings = 2;

    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            await CheckAsync(ct);
        }
        catch (CrawlerConfigurationException)
        {
            Environment.ExitCode = ExitBadSettings;
            lifetime.StopApplication();
            throw; // CrawlerHost.RunAsync says what is wrong, once
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Settings, then storage; throws <see cref="CrawlerConfigurationException"/> naming the setting.</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        services.ValidateCrawlerSettings();
        _ = storageClients; // built with this check, above
        await services.GetRequiredService<CrawlStorage>().EnsureCreatedAsync(ct);
    }

    /// <summary>Null when the site answers the first list page of <paramref name="category"/>; else the one line to print.</summary>
    public async Task<string?> SiteProblemAsync(string category, CancellationToken ct)
    {
        var client = services.GetRequiredService<NetEaseClient>();
        try
        {
            await client.GetTextAsync(NetEaseUrls.ListPage(client.BaseUri, category, 0), ct);
            return null;
        }
        catch (SiteFetchException e) when (!ct.IsCancellationRequested)
        {
            return SiteUnreachable(e);
        }
    }

    /// <summary>The line that says the site cannot be reached, with the setting and the offline alternative.</summary>
    public string SiteUnreachable(SiteFetchException e) =>
        $"Cannot reach {services.GetRequiredService<NetEaseClient>().BaseUri} (setting NetEase__BaseUrl): {e.Message} — to try the crawler offline, run ./run.sh --sandbox";
}

public static class StartupCheckServices
{
    /// <summary>Registers the check to run at start; register it before the host's triggers, so that it runs first.</summary>
    public static IServiceCollection AddStartupCheck(this IServiceCollection services)
    {
        services.AddSingleton<StartupCheck>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupCheck>());
        return services;
    }
}

/// <summary>
/// Runs either host: a wrong setting found at start (by <c>ValidateOnStart</c>, the start-up check or the storage
/// clients) is one line on stderr and exit code 2, not a stack trace.
/// </summary>
public static class CrawlerHost
{
    public static async Task<int> RunAsync(IHost host)
    {
        try
        {
            await host.RunAsync();
        }
        catch (CrawlerConfigurationException e)
        {
            // From the start-up check, or from the storage clients' construction.
            await Console.Error.WriteLineAsync($"error: {SafeText.Of(e.Message)}");
            return StartupCheck.ExitBadSettings;
        }
        catch (Exception e) when (SettingProblems(e) is { Count: > 0 } problems)
        {
            // From ValidateOnStart, before any hosted service started: every wrong setting, each naming its key.
            await Console.Error.WriteLineAsync($"error: {SafeText.Of(string.Join(" ", problems))}");
            return StartupCheck.ExitBadSettings;
        }
        return Environment.ExitCode;
    }

    /// <summary>The failures of every options validation in <paramref name="e"/> (one, or several in an aggregate).</summary>
    private static List<string> SettingProblems(Exception e) => e switch
    {
        OptionsValidationException validation => [.. validation.Failures],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(SettingProblems)],
        _ => [],
    };
}
