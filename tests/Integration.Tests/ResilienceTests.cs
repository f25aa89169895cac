using System.Text.Json;
using FunctionsCrawler.Sandbox;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// Faults on the Sandbox (the crashes of the processes are <see cref="CrashResumeTests"/>); each run must still end
/// with exactly the Sandbox's dataset and exact counts.
/// </summary>
public sealed class ResilienceTests(AzuriteFixture azurites) : IClassFixture<AzuriteFixture>
{
    internal static readonly string[] Categories = ["说唱"];
    internal const int MaxPages = 3;

    internal static Dictionary<string, string> CrawlSettings(StorageAccount azurite, SandboxSite site, string output) => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["NetEase:BaseUrl"] = site.BaseUrl.ToString(),
        ["NetEase:RequestsPerSecond"] = "40",
        ["NetEase:BlockPauseSeconds"] = "2",
        ["NetEase:RetryDelaySeconds"] = "0.2", // the faults' backoff: 0.2, 0.4, 0.8 s instead of 1, 2, 4
        ["Crawler:Categories"] = string.Join(',', Categories),
        ["Crawler:MaxPages"] = MaxPages.ToString(),
        ["Crawler:Tracks"] = "false", // hundreds a playlist, not what this is about: EndToEnd, DailyRefresh, HostileSite check them
        ["Run:Crawl"] = "true",
        ["Run:Once"] = "true",
        ["Run:Out"] = output,
        ["Run:LineSeconds"] = "1",
        ["Crawler:ResumeSchedule"] = "*/5 * * * * *",
        ["Crawler:StallSeconds"] = "20",
    };

    [Fact]
    public async Task Server_errors_and_a_block_window_end_with_the_exact_dataset_after_showing_paused()
    {
        const int pages = 2; // 70 playlists, about 145 requests: four or five block windows (for the watcher to see one) and server errors
        var azurite = azurites.NewAccount();
        await using var site = await SandboxSite.StartAsync(new SandboxOptions
        {
            Seed = 11, PagesPerCategory = pages, ErrorRate = 0.05, BlockAfterRequests = 30, BlockForSeconds = 3,
        });
        var output = Directory.CreateTempSubdirectory("crawl-faults-").FullName;
        var settings = CrawlSettings(azurite, site, output);
        settings["NetEase:ListSource"] = "page"; // the Sandbox blocks page and API requests: a detail request per playlist meets them
        settings["Crawler:MaxPages"] = pages.ToString();
        await using var host = HostProcess.Start(settings);
        var watching = host.WatchStatusAsync();
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(5));
        var seen = await watching;
        Assert.True(exitCode == 0, $"host exited {exitCode}:\n{host.Output}");

        Assert.Contains(site.Log.Entries(), e => e.Outcome != "ok" && e.Status is 500 or 502);
        Assert.True(site.Log.MaxPerSecond <= 40, $"the site saw {site.Log.MaxPerSecond} requests in one second, over the limit of 40");
        Assert.Contains(seen, s => s.GetProperty("state").GetString() == "paused" && s.GetProperty("pauseReason").GetString() is { Length: > 0 });
        await Dataset.AssertMatchesSandboxAsync(output, site.Catalog, Categories, pages, azurite);
        await using var server = StatusReader.On(azurite);
        Dataset.AssertFinalStatus(await server.StatusAsync(), site.Catalog, Categories, pages);
    }

    [Fact]
    public async Task A_playlist_that_keeps_failing_is_counted_failed_and_requeue_failed_brings_it_back()
    {
        var azurite = azurites.NewAccount();
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 3, PagesPerCategory = 1, DeletedRate = 0 });
        var victim = site.Catalog.PageIds(Categories[0], 0).First(id => site.Catalog.Playlist(id).Kind == CoverKind.Ok);
        site.Options.FailingIds = victim.ToString();
        var output = Directory.CreateTempSubdirectory("crawl-poison-").FullName;
        var settings = CrawlSettings(azurite, site, output);
        settings["Crawler:MaxPages"] = "1";
        settings["NetEase:ListSource"] = "page"; // the failing detail page is what this test is about
        settings["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "2";
        settings["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:01";

        await using (var host = HostProcess.Start(settings))
        {
            var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(4));
            Assert.True(exitCode == 0, $"host exited {exitCode}:\n{host.Output}");
        }
        var rows = Dataset.ReadCsv(Path.Combine(output, "playlists.csv"));
        Assert.DoesNotContain(rows, r => r["playlist_id"] == victim.ToString());

        // The site heals; the documented route puts the poison message back and the crawl completes with it.
        site.Options.FailingIds = "";
        settings.Remove("Run:Crawl");
        await using var server = HostProcess.Start(settings);
        var before = await server.ReadStatusAsync();
        Assert.Equal(1, before.GetProperty("playlists").GetProperty("failed").GetInt32());
        var crawlId = before.GetProperty("crawlId").GetString();
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var requeue = await http.PostAsync($"api/crawls/{crawlId}/requeue-failed", System.Net.Http.Json.JsonContent.Create(new { }));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, requeue.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await requeue.Content.ReadAsStringAsync()).RootElement.GetProperty("requeued").GetInt32());

        var final = await server.WaitForStateAsync("completed", TimeSpan.FromMinutes(2), also: s => s.GetProperty("playlists").GetProperty("failed").GetInt32() == 0);
        Dataset.AssertFinalStatus(final, site.Catalog, Categories, 1);
        var csv = await http.GetStringAsync("api/playlists.csv");
        Assert.Contains($"\r\n{victim},", csv);
    }

    [Fact]
    public async Task A_site_that_answers_only_errors_ends_the_crawl_failed_with_its_reason_and_exit_code_5()
    {
        var azurite = azurites.NewAccount();
        // The site is reachable (it answers), but every answer is a 500 or 502: no list page can ever be read.
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 7, PagesPerCategory = MaxPages, ErrorRate = 1 });
        var output = Directory.CreateTempSubdirectory("crawl-down-").FullName;
        var settings = CrawlSettings(azurite, site, output);
        settings["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "2";
        settings["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:01";

        await using (var host = HostProcess.Start(settings))
        {
            var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(3));
            Assert.True(exitCode == 5, $"host exited {exitCode}, not 5 (crawl failed):\n{host.Output}");
            Assert.Contains("failed: every list page failed: page 1 of 说唱", host.Output);
            Assert.DoesNotContain("Exported", host.Output);
        }
        Assert.False(File.Exists(Path.Combine(output, "playlists.csv")));

        await using var server = StatusReader.On(azurite);
        var status = await server.StatusAsync();
        Assert.Equal("failed", status.GetProperty("state").GetString());
        Assert.StartsWith("every list page failed: page 1 of 说唱: ", status.GetProperty("lastError").GetString());
        Assert.Contains("HTTP 50", status.GetProperty("lastError").GetString());
        Assert.Equal(1, status.GetProperty("pages").GetProperty("total").GetInt32()); // the failed page 0 stands for the category
        Assert.Equal(0, status.GetProperty("playlists").GetProperty("discovered").GetInt32());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("etaSeconds").ValueKind);
    }
}
