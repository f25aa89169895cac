using FunctionsCrawler.Hosting;
using System.Text.Json;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Storage;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace FunctionsCrawler.Functions.Tests;

/// <summary>The wiring the Functions host sees, read from the generated functions.metadata.</summary>
public class FunctionBindingTests
{
    private static readonly string[] HttpFunctions = ["GetStatus", "ListCrawls", "GetCrawl", "StartCrawlOnRequest", "RequeueFailed", "ExportPlaylistsCsv", "Dashboard",
        "ListPlaylists", "PlaylistStats", "PlaylistHistory", "ExportPlaylistsParquet", "ExportHistoryParquet", "ExportHistoryCsv", "CategoryChanges", "GetCover",
        "PlaylistTracks", "TopTracks", "ExportPlaylistTracksParquet", "ExportPlaylistTracksCsv", "ExportTracksParquet", "ExportTracksCsv"];
    private static readonly string[] AllFunctions = ["StartCrawlOnSchedule", "ResumeStalledCrawls", "CleanUpOldCrawls", "ScrapeListPage", "ScrapePlaylist", "CrawlStatus", .. HttpFunctions];

    [Fact]
    public void The_app_has_exactly_the_designed_functions()
    {
        Assert.Equal(AllFunctions.Order(StringComparer.Ordinal), FunctionsMetadata.Names.Order(StringComparer.Ordinal));
    }

    /// <summary>The app built as Program builds it, with these settings (as app settings reach the worker).</summary>
    private static IHost BuildApp(Dictionary<string, string?>? settings = null)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddCrawlerFunctions(builder.Configuration);
        return builder.Build();
    }

    /// <summary>The timers' schedules as the worker sends them to the Functions host when it asks (worker indexing).</summary>
    private static async Task<Dictionary<string, string?>> SentSchedulesAsync(Dictionary<string, string?>? settings = null)
    {
        using var host = BuildApp(settings);
        var functions = await host.Services.GetRequiredService<IFunctionMetadataManager>()
            .GetFunctionMetadataAsync(Path.GetDirectoryName(FunctionsMetadata.Path)!);
        return functions
            .SelectMany(f => f.RawBindings!.Select(b => (f.Name, Binding: JsonDocument.Parse(b).RootElement.Clone())))
            .Where(b => b.Binding.Text("type") == "timerTrigger")
            .ToDictionary(b => b.Name!, b => b.Binding.Text("schedule"));
    }

    [Theory]
    [InlineData("StartCrawlOnSchedule", CrawlSchedules.Producer)]
    [InlineData("ResumeStalledCrawls", CrawlSchedules.StallCheck)]
    [InlineData("CleanUpOldCrawls", CrawlSchedules.CleanUp)]
    public void Timers_hold_their_default_schedule_so_the_host_runs_them_with_no_app_setting(string function, string schedule)
    {
        // The host resolves %name% from its app settings only: a %Crawler:…% here would leave the timer dead in an app without one.
        var trigger = FunctionsMetadata.Trigger(function);
        Assert.Equal("timerTrigger", trigger.Text("type"));
        Assert.Equal(schedule, trigger.Text("schedule"));
    }

    [Fact]
    public async Task Without_settings_the_worker_sends_the_default_schedules()
    {
        Assert.Equal(new Dictionary<string, string?>
        {
            ["StartCrawlOnSchedule"] = "0 0 3 * * *",
            ["ResumeStalledCrawls"] = "0 */10 * * * *",
            ["CleanUpOldCrawls"] = "0 30 4 * * *",
        }, await SentSchedulesAsync());
    }

    [Fact]
    public async Task Schedule_settings_reach_the_host_through_the_metadata_the_worker_sends()
    {
        var sent = await SentSchedulesAsync(new()
        {
            ["Crawler:Schedule"] = "0 15 2 * * *",
            ["Crawler:ResumeSchedule"] = "*/30 * * * * *",
            ["Crawler:CleanupSchedule"] = "0 0 5 * * Sun",
        });
        Assert.Equal(("0 15 2 * * *", "*/30 * * * * *", "0 0 5 * * Sun"), (sent["StartCrawlOnSchedule"], sent["ResumeStalledCrawls"], sent["CleanUpOldCrawls"]));
    }

    [Fact]
    public void Status_entities_are_purged_under_their_orchestration_instance_id() =>
        Assert.Equal("@crawlstatus@20261127-081428-942d", Status.DurableCrawlStatusStore.InstanceId("20261127-081428-942d"));

    [Theory]
    [InlineData("ScrapeListPage", CrawlQueues.Pages)]
    [InlineData("ScrapePlaylist", CrawlQueues.Playlists)]
    public void Queue_consumers_listen_on_their_queue_through_AzureWebJobsStorage(string function, string queue)
    {
        var trigger = FunctionsMetadata.Trigger(function);
        Assert.Equal("queueTrigger", trigger.Text("type"));
        Assert.Equal(queue, trigger.Text("queueName"));
        Assert.Equal("AzureWebJobsStorage", trigger.Text("connection"));
        Assert.Equal("String", trigger.Text("dataType"));
    }

    [Fact]
    public void Status_entity_is_an_entity_trigger_named_CrawlStatus()
    {
        var bindings = FunctionsMetadata.Bindings("CrawlStatus");
        Assert.Equal("entityTrigger", Assert.Single(bindings).Text("type"));
    }

    [Theory]
    [InlineData("GetStatus", "get", "status", "Anonymous")]
    [InlineData("ListCrawls", "get", "crawls", "Anonymous")]
    [InlineData("GetCrawl", "get", "crawls/{crawlId}", "Anonymous")]
    [InlineData("StartCrawlOnRequest", "post", "crawls", "Function")]
    [InlineData("RequeueFailed", "post", "crawls/{crawlId}/requeue-failed", "Function")]
    [InlineData("ExportPlaylistsCsv", "get", "playlists.csv", "Function")]
    [InlineData("Dashboard", "get", "dashboard", "Anonymous")]
    [InlineData("ListPlaylists", "get", "playlists", "Function")]
    [InlineData("PlaylistStats", "get", "playlists/stats", "Function")]
    [InlineData("PlaylistHistory", "get", "playlists/{playlistId}/history", "Function")]
    [InlineData("ExportPlaylistsParquet", "get", "playlists.parquet", "Function")]
    [InlineData("ExportHistoryParquet", "get", "playlists/history.parquet", "Function")]
    [InlineData("ExportHistoryCsv", "get", "playlists/history.csv", "Function")]
    [InlineData("CategoryChanges", "get", "categories/{category}/changes", "Function")]
    [InlineData("GetCover", "get", "covers/{file}", "Function")]
    [InlineData("PlaylistTracks", "get", "playlists/{playlistId}/tracks", "Function")]
    [InlineData("TopTracks", "get", "tracks", "Function")]
    [InlineData("ExportPlaylistTracksParquet", "get", "playlists/tracks.parquet", "Function")]
    [InlineData("ExportPlaylistTracksCsv", "get", "playlists/tracks.csv", "Function")]
    [InlineData("ExportTracksParquet", "get", "tracks.parquet", "Function")]
    [InlineData("ExportTracksCsv", "get", "tracks.csv", "Function")]
    public void Http_routes_match_the_design_with_anonymous_figures_and_function_keys_for_changes_and_exports(string function, string method, string route, string authLevel)
    {
        var trigger = FunctionsMetadata.Trigger(function);
        Assert.Equal("httpTrigger", trigger.Text("type"));
        Assert.Equal(route, trigger.Text("route"));
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(authLevel, trigger.Text("authLevel"), ignoreCase: true);
        Assert.Contains(FunctionsMetadata.Bindings(function), b => b.Text("type") == "http" && b.Text("direction") == "Out");
    }

    [Fact]
    public void Functions_that_report_or_read_progress_bind_a_durable_client()
    {
        // The sink can only reach the status entity through the invocation's [DurableClient].
        string[] withoutClient = ["CrawlStatus", "ExportPlaylistsCsv", "Dashboard", "ListPlaylists", "PlaylistStats", "PlaylistHistory", "ExportPlaylistsParquet",
            "ExportHistoryParquet", "ExportHistoryCsv", "CategoryChanges", "GetCover", "PlaylistTracks", "TopTracks", "ExportPlaylistTracksParquet",
            "ExportPlaylistTracksCsv", "ExportTracksParquet", "ExportTracksCsv"];
        foreach (var function in AllFunctions.Except(withoutClient))
            Assert.True(FunctionsMetadata.Bindings(function).Any(b => b.Text("type") == "durableClient"), $"{function} binds no durableClient");
    }

    [Fact]
    public void Every_function_class_is_created_from_the_app_services()
    {
        using var host = BuildApp();
        host.Services.ValidateCrawlerSettings();

        foreach (var function in AllFunctions)
        {
            // "Namespace.Class.Method", as the worker resolves it.
            var entryPoint = FunctionsMetadata.Function(function).GetProperty("entryPoint").GetString()!;
            var type = typeof(FunctionsSetup).Assembly.GetType(entryPoint[..entryPoint.LastIndexOf('.')], throwOnError: true)!;
            Assert.NotNull(type.GetMethod(entryPoint[(entryPoint.LastIndexOf('.') + 1)..]));
            if (!type.IsAbstract) Assert.NotNull(ActivatorUtilities.CreateInstance(host.Services, type));
        }
    }
}
