using FunctionsCrawler.Configuration;
using FunctionsCrawler.Hosting;
using FunctionsCrawler.Logging;
using FunctionsCrawler.Progress;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>Registrations of the WebJobs host: configuration as the Functions host reads it, the WebJobs SDK, the crawler.</summary>
public static class WebJobsHostSetup
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    public static WebApplicationBuilder AddCrawlerHost(this WebApplicationBuilder builder, string[] args, string settingsDir)
    {
        builder.Configuration.Sources.Clear();
        builder.Configuration
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
                // What the timers' %Crawler:…% resolve to when no setting names a schedule.
                ["Crawler:Schedule"] = CrawlSchedules.Producer,
                ["Crawler:ResumeSchedule"] = CrawlSchedules.StallCheck,
                ["Crawler:CleanupSchedule"] = CrawlSchedules.CleanUp,
                // Host headers of this machine only (any port): a page on another name that resolves here
                // (DNS rebinding) gets 400, so it cannot read the status or start crawls.
                ["AllowedHosts"] = "127.0.0.1;localhost;[::1]",
            })
            .AddInMemoryCollection(HostSettings.LocalValues(settingsDir))
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                // The WebJobs Durable extension reads this; "dotnet-isolated" (for func) makes it log a parse failure.
                ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet",
                // A set CONTAINER_NAME makes Durable Task think it runs on Linux Consumption and log every event to stdout.
                ["CONTAINER_NAME"] = "",
            });
        builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? DefaultUrl);
        // host.json, overridden as the Functions host allows: AzureFunctionsJobHost__extensions__queues__batchSize=4.
        var hostJson = HostJson.Load(settingsDir, builder.Configuration);
        builder.Services.AddSingleton(hostJson);

        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TerminalLog>();
        if (builder.Configuration.GetValue<bool>("Run:Crawl") && ProgressView.IsTerminal)
            builder.Services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<TerminalLog>()); // keeps out of the live panel's way
        else
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Azure", LogLevel.Error); // each expected 404 (queue not found) is a warning there
        builder.Logging.AddFilter("Host.Triggers.DurableTask", LogLevel.Error);
        // With several hosts on one task hub (./run.sh --hosts N) the status entity's partition moves between them,
        // and Durable Task reports each handover ("Split brain detected", "Abandoning … message"): expected, not a fault.
        builder.Logging.AddFilter("DurableTask.AzureStorage", LogLevel.Error);
        builder.Logging.AddFilter("DurableTask.Core", LogLevel.Error);
        builder.Logging.AddFilter("Polly", LogLevel.None); // every retry and the last failed attempt: the steps report what matters
        builder.Logging.AddFilter("Host.Startup", LogLevel.Error); // a harmless "partial types" notice at start
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None); // a failed start is reported once, by Program
        builder.Logging.AddFilter("Host.Results", LogLevel.None); // each function result again, for telemetry: "Function.<name>" says it once

        // Registered before the WebJobs host, so settings and storage are checked before any trigger listens, and the
        // progress store's last flush comes after the triggers have stopped.
        builder.Services.AddStartupCheck();
        builder.Services.AddSingleton<TaskHubClient>();
        builder.Services.AddProgressStore<DurableProgressSink>();
        builder.Host.ConfigureWebJobs(webJobs =>
        {
            webJobs.AddAzureStorageCoreServices();
            webJobs.AddAzureStorageQueues(o => hostJson.Queues.Bind(o));
            webJobs.AddAzureStorageBlobs();
            webJobs.AddTimers();
            webJobs.AddDurableTask(o =>
            {
                o.HubName = hostJson.DurableHubName;
                o.LocalRpcEndpointEnabled = false;
                foreach (var setting in hostJson.DurableStorageProvider.GetChildren())
                    o.StorageProvider[setting.Key] = setting.Value;
            });
        });

        // Ctrl+C should not wait on leases or in-flight fetches: queued work survives a stop, and cancelled
        // steps are delivered again. run.sh stops storage only after the host has exited.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddCrawler(builder.Configuration);
        builder.Services.AddDurableClientFactory();
        builder.Services.AddSingleton<ICrawlStatusStore, DurableCrawlStatusStore>();
        builder.Services.AddOptions<RunOptions>().Bind(builder.Configuration.GetSection(RunOptions.Section));
        builder.Services.AddSingleton<ProgressView>();
        builder.Services.AddHostedService<PacerReport>();
        if (builder.Configuration.GetValue<bool>("Run:Crawl")) builder.Services.AddHostedService<CrawlRun>();
        builder.Services.AddSafeCrawlerLogs(); // last: it wraps the logger providers registered above
        return builder;
    }
}
