using System.Text.Json;
using FunctionsCrawler.Sandbox;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// The whole crawl on real engines: Azurite, the Sandbox over real HTTP, the WebJobs host with its
/// queue triggers and Durable entity, run as ./run.sh runs it. Every figure is checked against the
/// Sandbox's own data, never against the crawler's output.
/// <para>
/// The Sandbox stamps arrivals in this process, so the site's per-second count is only as good as this process's
/// thread pool: beside the in-process step tests it once starved, stamps bunched, and one second counted 81 at a limit
/// of 50 that the host's pacer never sent. The test assembly now starts with threads to spare (<see cref="ThreadsToSpare"/>).
/// </para>
/// </summary>
public sealed class EndToEndCrawlTests(AzuriteFixture azurites) : IClassFixture<AzuriteFixture>
{
    private static readonly string[] Categories = ["说唱", "华语"];
    // Two pages: paging and a page index to redeliver. Ordinary playlists list up to 60 tracks (MaxTrackCount: the
    // site's own draw scaled down; its over-1,000 lists stay), a tenth of the songs a full draw would have to fetch.
    private const int MaxPages = 2;

    [Fact]
    public async Task Crawl_of_two_categories_exports_exactly_what_the_sandbox_serves()
    {
        var azurite = azurites.NewAccount();
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 7, PagesPerCategory = MaxPages, DeletedRate = 0.05, MaxTrackCount = 60 });
        var output = Directory.CreateTempSubdirectory("crawl-export-").FullName;
        // A few playlists' track lists come back with one song (the shape a distrusted address gets) until the crawl met one.
        var oneTrack = site.Catalog.PageIds(Categories[0], 1).Where(id => site.Catalog.Tracks(id).Count >= 10).Take(3).ToList();
        site.Options.OneTrackIds = string.Join(',', oneTrack);

        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["NetEase:BaseUrl"] = site.BaseUrl.ToString(),
            ["NetEase:ListSource"] = "page", // HTML list pages and a detail request per playlist: what this test is about
            ["NetEase:RequestsPerSecond"] = "50",
            ["NetEase:BlockPauseSeconds"] = "1", // the one-song answer's pause (no Retry-After): short here
            ["Crawler:Categories"] = string.Join(',', Categories),
            ["Crawler:MaxPages"] = MaxPages.ToString(),
            ["Run:Crawl"] = "true",
            ["Run:Once"] = "true",
            ["Run:Out"] = output,
            ["Run:LineSeconds"] = "1",
        });
        var watching = host.WatchStatusAsync();
        var recovering = Task.Run(async () =>
        {
            while (!site.Log.Entries().Any(e => e.Kind == "api" && e.Outcome == "ok" && oneTrack.Any(id => e.PathAndQuery.EndsWith($"id={id}", StringComparison.Ordinal))))
                await Task.Delay(50);
            site.Options.OneTrackIds = "";
        });
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(4));
        var seen = await watching;
        await recovering.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(exitCode == 0, $"host exited {exitCode}:\n{host.Output}");
        Assert.Contains($"Status: {host.BaseUrl}api/status", host.Output, StringComparison.Ordinal); // its own port, not 7071

        await Dataset.AssertMatchesSandboxAsync(output, site.Catalog, Categories, MaxPages, azurite);
        // HTML lists say nothing of the tracks: each playlist's JSON detail is asked for its list, which equals the Sandbox's.
        // The one-song answers paused the crawl (the site distrusting us, not the playlists' lists) and none was kept.
        Assert.Contains("Site pushed back on tracks of playlist", host.Output, StringComparison.Ordinal);
        Assert.Contains("the answer the site gives an address it distrusts", host.Output, StringComparison.Ordinal);
        await Dataset.AssertTracksMatchSandboxAsync(site.Catalog, Categories, MaxPages, azurite, output);
        // The crawl's counters went to the history when it ended, and the run exported them beside the playlists.
        await Dataset.AssertFirstHistoryMatchesSandboxAsync(output, site.Catalog, Categories, MaxPages);
        Assert.Contains($"History: {site.Catalog.ExpectedRows(Categories, MaxPages).Count} rows", host.Output, StringComparison.Ordinal);
        Assert.True(site.Log.MaxPerSecond <= 50, $"the site saw {site.Log.MaxPerSecond} requests in one second, over the limit of 50");

        // Status: it answered while the crawl ran; its final counts are exact (read from a host started afresh).
        Assert.Contains(seen, s => s.GetProperty("state").GetString() == "running");
        await using var server = HostProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        var final = await server.ReadStatusAsync();
        Dataset.AssertFinalStatus(final, site.Catalog, Categories, MaxPages);

        // Late redeliveries of a completed crawl's messages change nothing: no request to the site, no count moves.
        var crawlId = final.GetProperty("crawlId").GetString()!;
        var requestsBefore = site.Log.Requests;
        var queues = new Azure.Storage.Queues.QueueServiceClient(azurite.ConnectionString,
            new Azure.Storage.Queues.QueueClientOptions { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64 });
        var listed = site.Catalog.PageIds(Categories[0], 0)[0];
        await queues.GetQueueClient("crawl-pages").SendMessageAsync($$"""{"crawlId":"{{crawlId}}","category":"{{Categories[0]}}","pageIndex":1,"maxPages":{{MaxPages}}}""");
        await queues.GetQueueClient("crawl-playlists").SendMessageAsync($$"""{"crawlId":"{{crawlId}}","category":"{{Categories[0]}}","playlists":[{"id":{{listed}}}]}""");
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until && ((await queues.GetQueueClient("crawl-pages").GetPropertiesAsync()).Value.ApproximateMessagesCount > 0
                                           || (await queues.GetQueueClient("crawl-playlists").GetPropertiesAsync()).Value.ApproximateMessagesCount > 0))
            await Task.Delay(500);
        await Task.Delay(2000);
        var after = await server.ReadStatusAsync();
        Assert.Equal("completed", after.GetProperty("state").GetString());
        Assert.Equal(final.GetProperty("playlists").ToString(), after.GetProperty("playlists").ToString());
        Assert.Equal(final.GetProperty("pages").ToString(), after.GetProperty("pages").ToString());
        Assert.Equal(requestsBefore, site.Log.Requests);
    }
}
