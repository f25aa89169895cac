using System.Text.Json;
using FunctionsCrawler.Sandbox;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// The crawl against the Sandbox answering as real servers do: pages labelled <c>charset=utf8</c>, blocks
/// answered with HTTP 503 and the overload page, and the hostile answers (a dripping body, a gzip bomb, a
/// count past 64 bits, a cover redirected to the cloud metadata address, a pager claiming 2147483647 pages).
/// </summary>
public sealed class HostileSiteTests(AzuriteFixture azurites) : IClassFixture<AzuriteFixture>
{
    private static readonly string[] Categories = ["说唱"];

    private static Dictionary<string, string> Settings(StorageAccount azurite, SandboxSite site, string output, int maxPages) => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["NetEase:BaseUrl"] = site.BaseUrl.ToString(),
        ["NetEase:ListSource"] = "page", // HTML list pages and a detail request per playlist: what this test is about
        ["NetEase:RequestsPerSecond"] = "40",
        ["NetEase:RetryDelaySeconds"] = "0.2",
        ["Crawler:Categories"] = string.Join(',', Categories),
        ["Crawler:MaxPages"] = maxPages.ToString(),
        ["Run:Crawl"] = "true",
        ["Run:Once"] = "true",
        ["Run:Out"] = output,
        ["Run:LineSeconds"] = "1",
    };

    [Fact]
    public async Task Pages_labelled_utf8_and_503_blocks_end_with_the_exact_dataset_shown_paused_and_no_blocked_request_retried()
    {
        const int maxPages = 1; // 35 playlists: a list page and 35 detail pages, three block windows to be seen paused in
        var azurite = azurites.NewAccount();
        await using var site = await SandboxSite.StartAsync(new SandboxOptions
        {
            Seed = 13, PagesPerCategory = maxPages, CharsetLabel = "utf8", BlockShape = "503", RetryAfterSeconds = 2,
            BlockAfterRequests = 10, BlockForSeconds = 3,
        });
        var output = Directory.CreateTempSubdirectory("crawl-hostile-blocks-").FullName;
        var settings = Settings(azurite, site, output, maxPages);
        settings["Crawler:Tracks"] = "false"; // blocks and labels are what this test is about; the tracks' own tests meet blocks too
        await using var host = HostProcess.Start(settings);
        var watching = host.WatchStatusAsync();
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(5));
        var seen = await watching;
        Assert.True(exitCode == 0, $"host exited {exitCode}:\n{host.Output}");

        var blocked = site.Log.Entries().Where(e => e.Outcome == "blocked").ToList();
        Assert.NotEmpty(blocked);
        Assert.All(blocked, e => Assert.Equal(503, e.Status));
        // A block is respected, not re-sent: nothing blocked was asked again before the site's Retry-After ran out.
        Assert.Empty(site.Log.RepeatsWithin(TimeSpan.FromSeconds(1.9)));
        Assert.Contains(seen, s => s.GetProperty("state").GetString() == "paused"
            && s.GetProperty("pauseReason").GetString()!.Contains("503", StringComparison.Ordinal));
        Assert.True(site.Log.MaxPerSecond <= 40, $"the site saw {site.Log.MaxPerSecond} requests in one second");
        Assert.DoesNotContain("   at ", host.Output);
        await Dataset.AssertMatchesSandboxAsync(output, site.Catalog, Categories, maxPages, azurite);
    }

    [Fact]
    public async Task Every_hostile_answer_ends_with_one_clear_line_and_loses_nothing_else()
    {
        const int pages = 2;
        var azurite = azurites.NewAccount();
        await using var site = await SandboxSite.StartAsync(new SandboxOptions
        {
            Seed = 17, PagesPerCategory = pages, DeletedRate = 0, PagerLastPage = int.MaxValue, DripIntervalMs = 400,
        });
        var ordinary = site.Catalog.PageIds(Categories[0], 0).Where(id => site.Catalog.Playlist(id).Kind == CoverKind.Ok).Distinct().ToList();
        var (drip, inflate, huge, redirected) = (ordinary[0], ordinary[1], ordinary[2], ordinary[3]);
        site.Options.DripIds = drip.ToString();
        site.Options.InflateIds = inflate.ToString();
        site.Options.HugeCountIds = huge.ToString();
        site.Options.RedirectCoverIds = redirected.ToString();

        var output = Directory.CreateTempSubdirectory("crawl-hostile-answers-").FullName;
        var settings = Settings(azurite, site, output, maxPages: 0);
        settings["NetEase:ReadTimeoutSeconds"] = "2";
        settings["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "2";
        settings["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:01";
        await using var host = HostProcess.Start(settings);
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"host exited {exitCode}:\n{host.Output}");

        // Everything but the three unreadable playlists is exported; the redirected cover is refused, its row kept.
        var failedIds = new[] { drip, inflate, huge };
        var expected = site.Catalog.ExpectedRows(Categories, 0).Where(e => !failedIds.Contains(e.Playlist.Id)).ToList();
        var rows = Dataset.ReadCsv(Path.Combine(output, "playlists.csv"));
        var missing = expected.Select(e => e.Playlist.Id).Except(rows.Select(r => long.Parse(r["playlist_id"]))).ToList();
        var extra = rows.Select(r => long.Parse(r["playlist_id"])).Except(expected.Select(e => e.Playlist.Id)).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"missing {string.Join(',', missing)}, extra {string.Join(',', extra)} (drip {drip}, inflate {inflate}, huge {huge}, redirected {redirected}):\n{host.Output}");
        Assert.Equal("", rows.Single(r => r["playlist_id"] == redirected.ToString())["cover_blob"]);
        Assert.False(File.Exists(Path.Combine(output, "covers", $"{redirected}.jpg")));
        Assert.DoesNotContain(site.Log.Entries(), e => e.PathAndQuery.Contains("169.254", StringComparison.Ordinal));

        await using var server = StatusReader.On(azurite);
        var status = await server.StatusAsync();
        Assert.Equal("completed", status.GetProperty("state").GetString());
        Assert.Equal(failedIds.Length, status.GetProperty("playlists").GetProperty("failed").GetInt32());
        Assert.Equal(expected.Count, status.GetProperty("playlists").GetProperty("done").GetInt32());
        // The pager's 2147483647 pages are capped at 100, and the status says so.
        Assert.Equal(100, status.GetProperty("pages").GetProperty("total").GetInt32());
        // The entity only displays: the last failure's signal may still be on its way when the crawl has ended.
        var errors = "";
        for (var tries = 0; tries < 40 && !errors.Contains($"playlist {drip}", StringComparison.Ordinal); tries++)
        {
            if (tries > 0) await Task.Delay(250);
            status = await server.StatusAsync();
            errors = string.Join('\n', status.GetProperty("recentErrors").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
        }
        Assert.Contains("more than the 100 a category can have", errors);
        Assert.Contains($"playlist {drip}", errors);
        Assert.Contains("no complete answer within 2 s", errors);
        Assert.Contains("after decompression", errors);
        Assert.Contains($"playlist {huge}", errors);
        Assert.DoesNotContain("   at ", host.Output);
    }
}
