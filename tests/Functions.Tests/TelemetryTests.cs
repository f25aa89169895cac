using FunctionsCrawler.Logging;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FunctionsCrawler.Functions.Tests;

/// <summary>What the worker sends to Application Insights: its log lines with the crawl id, and its outgoing requests.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Worker_logs_reach_application_insights_with_the_crawl_id_and_requests_are_dependencies()
    {
        var channel = new RecordingChannel();
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            // Nothing is sent anywhere: the channel below keeps every item.
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
        });
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddSingleton<ITelemetryChannel>(channel);
        builder.Services.AddCrawlerFunctions(builder.Configuration);
        using var host = builder.Build();
        Assert.NotNull(host.Services.GetService<TelemetryClient>());
        host.Services.GetRequiredService<TelemetryConfiguration>(); // starts the dependency collector

        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FunctionsCrawler.Pipeline.ScrapeListPage");
        using (log.BeginCrawlScope("20261127-081428-942d"))
        {
            log.LogError("page 1 of 说唱: HTTP 500 from site");
            using var http = new HttpClient();
            // The collector subscribes to HttpClient's diagnostics as it starts: try until it has seen one.
            for (var i = 0; i < 50 && !channel.Items.OfType<DependencyTelemetry>().Any(); i++)
            {
                try { await http.GetAsync("http://127.0.0.1:9/discover/playlist/"); } // nothing listens: a failed dependency is still one
                catch (HttpRequestException) { }
                await Task.Delay(100);
            }
        }

        var trace = Assert.Single(channel.Items.OfType<TraceTelemetry>(), t => t.Message.Contains("HTTP 500 from site", StringComparison.Ordinal));
        Assert.Equal(SeverityLevel.Error, trace.SeverityLevel);
        Assert.Equal("20261127-081428-942d", trace.Properties[CrawlLogScope.CrawlId]);
        var dependency = Assert.Single(channel.Items.OfType<DependencyTelemetry>().Take(1), d => d.Target?.StartsWith("127.0.0.1", StringComparison.Ordinal) == true);
        Assert.Equal("Http", dependency.Type);
    }

    private sealed class RecordingChannel : ITelemetryChannel
    {
        private readonly List<ITelemetry> _items = [];
        public IReadOnlyList<ITelemetry> Items { get { lock (_items) return [.. _items]; } }
        public bool? DeveloperMode { get; set; }
        public string? EndpointAddress { get; set; }
        public void Send(ITelemetry item) { lock (_items) _items.Add(item); }
        public void Flush() { }
        public void Dispose() { }
    }
}
