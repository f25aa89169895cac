using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using FunctionsCrawler.Integration.Tests.Storage;
using FunctionsCrawler.Sandbox;
using FunctionsCrawler.Storage;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// The retention clean-up in the WebJobs host, on the real Durable task hub: two crawls the host ran, made old (their
/// registry rows back-dated), the host's timer run every 2 s; the older one's status entity is purged from the hub with its
/// rows and registry row, the newer one (the newest completed of its category) and the dataset stay.
/// </summary>
public sealed class CleanUpEndToEndTests(AzuriteFixture azurites) : IClassFixture<AzuriteFixture>
{
    private const string Category = "说唱";
    private const string TaskHub = "FunctionsCrawler";

    private static async Task<int> RowsAsync(TableServiceClient tables, string table, string partition)
    {
        var count = 0;
        await foreach (var _ in tables.GetTableClient(table).QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey"])) count++;
        return count;
    }

    [Fact]
    public async Task The_host_timer_purges_an_old_crawls_status_entity_and_rows_and_keeps_the_newest_completed_one()
    {
        var azurite = azurites.NewAccount();
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 5, PagesPerCategory = 1, DeletedRate = 0 });
        // One host does it all: its two crawls, started through the API, then the clean-up on its timer (every 2 s; until
        // the registry rows are back-dated below, nothing is old enough for it).
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["NetEase:BaseUrl"] = site.BaseUrl.ToString(),
            ["NetEase:RequestsPerSecond"] = "50",
            ["Crawler:Tracks"] = "false", // hundreds a playlist, not what this is about: EndToEnd, DailyRefresh, HostileSite check them
            ["Crawler:CleanupSchedule"] = "*/2 * * * * *",
        });
        using var http = new HttpClient { BaseAddress = host.BaseUrl };
        await host.ReadStatusAsync("api/crawls"); // once it listens
        foreach (var run in new[] { 1, 2 })
        {
            var started = await http.PostAsync("api/crawls", JsonContent.Create(new { categories = new[] { Category }, maxPages = 1, @new = true }));
            Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"crawl {run}: {started.StatusCode} {await started.Content.ReadAsStringAsync()}");
            var crawlId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("crawlId").GetString();
            await host.WaitForStateAsync("completed", TimeSpan.FromMinutes(2), $"api/crawls/{crawlId}");
        }

        var storage = LocalStorage.Clients(azurite);
        var registry = new CrawlTable(storage);
        var crawls = await registry.ListSinceAsync(DateTimeOffset.MinValue, default);
        Assert.Equal(2, crawls.Count);
        var (newer, older) = (crawls[0], crawls[1]);
        foreach (var c in crawls)
        {
            await registry.DeleteAsync(c.CrawlId, default); // its time-index row moves with the start time
            await registry.AddAsync(c with { StartedAt = c.StartedAt.AddDays(-40) }, default);
        }
        Assert.Equal(1, await RowsAsync(storage.Tables, TaskHub + "Instances", $"@crawlstatus@{older.CrawlId}"));
        Assert.True(await RowsAsync(storage.Tables, TaskHub + "History", $"@crawlstatus@{older.CrawlId}") > 0);
        Assert.True(await RowsAsync(storage.Tables, CrawlItemTable.Name, older.CrawlId) > 0);

        var until = DateTime.UtcNow.AddSeconds(60);
        while (await registry.GetAsync(older.CrawlId, default) is not null)
        {
            Assert.True(DateTime.UtcNow < until, $"the clean-up did not delete {older.CrawlId} within 60 s:\n{host.Output}");
            await Task.Delay(500);
        }

        Assert.Equal(0, await RowsAsync(storage.Tables, TaskHub + "Instances", $"@crawlstatus@{older.CrawlId}"));
        Assert.Equal(0, await RowsAsync(storage.Tables, TaskHub + "History", $"@crawlstatus@{older.CrawlId}"));
        Assert.Equal(0, await RowsAsync(storage.Tables, CrawlItemTable.Name, older.CrawlId));
        Assert.Equal(1, await RowsAsync(storage.Tables, TaskHub + "Instances", $"@crawlstatus@{newer.CrawlId}"));
        Assert.True(await RowsAsync(storage.Tables, CrawlItemTable.Name, newer.CrawlId) > 0);
        Assert.NotNull(await registry.GetAsync(newer.CrawlId, default));
        Assert.True(await RowsAsync(storage.Tables, PlaylistTable.Name, PlaylistTable.CategoryKey(Category)) > 0);
        Assert.Equal("completed", (await host.ReadStatusAsync()).GetProperty("state").GetString());
        Assert.DoesNotContain("   at ", host.Output);
    }
}
