using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FunctionsCrawler.Sandbox;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// <c>Crawler:Categories=all</c> through the WebJobs host as ./run.sh starts it: the crawl registers the categories
/// the Sandbox's menu lists and exports exactly their rows; while it runs, an overlapping POST is refused with 409
/// naming it, and the crawl list has its paged shape.
/// </summary>
public sealed class WholeSiteCrawlTests(AzuriteFixture azurites) : IClassFixture<AzuriteFixture>
{
    private const int MaxPages = 1;

    [Fact]
    public async Task Category_all_crawls_every_category_the_menu_lists_and_an_overlapping_start_is_refused()
    {
        var azurite = azurites.NewAccount();
        // A little latency keeps the crawl running while the test asks the host to start another.
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 7, PagesPerCategory = 2, MenuCategories = 4, LatencyMs = 15 });
        var menu = site.Catalog.MenuCategories;
        Assert.Equal(4, menu.Count);
        var output = Directory.CreateTempSubdirectory("crawl-all-").FullName;

        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["NetEase:BaseUrl"] = site.BaseUrl.ToString(),
            ["NetEase:RequestsPerSecond"] = "50",
            ["Crawler:Categories"] = "all",
            ["Crawler:MaxPages"] = MaxPages.ToString(),
            ["Crawler:Tracks"] = "false", // hundreds a playlist, not what this is about: EndToEnd, DailyRefresh, HostileSite check them
            ["Run:Crawl"] = "true",
            ["Run:Once"] = "true",
            ["Run:Out"] = output,
            ["Run:LineSeconds"] = "1",
        });
        var running = await host.ReadStatusAsync();
        var crawlId = running.GetProperty("crawlId").GetString()!;
        Assert.Equal(menu, running.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!));

        using var http = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        using var refused = await http.PostAsync("api/crawls", new StringContent("""{"categories":["ALL"]}""", Encoding.UTF8, "application/json"));
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(refused.StatusCode == HttpStatusCode.Conflict, $"POST answered {(int)refused.StatusCode}: {body}");
        Assert.Equal(crawlId, body.GetProperty("crawlId").GetString());
        Assert.Contains(crawlId, body.GetProperty("error").GetString());

        var list = await http.GetFromJsonAsync<JsonElement>("api/crawls?top=5");
        Assert.Equal(crawlId, Assert.Single(list.GetProperty("crawls").EnumerateArray()).GetProperty("crawlId").GetString());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("continuation").ValueKind);
        using var badTop = await http.GetAsync("api/crawls?top=zero");
        Assert.Equal(HttpStatusCode.BadRequest, badTop.StatusCode);

        var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(4));
        Assert.True(exitCode == 0, $"host exited {exitCode}:\n{host.Output}");
        // The catalogue was read twice: by the run, and by the refused POST (it resolves 'all' before it can compare);
        // the menu page not at all (it is the fallback when the catalogue cannot be read).
        Assert.Equal(2, site.Log.Entries().Count(e => e.PathAndQuery == "/api/playlist/catalogue"));
        Assert.Equal(0, site.Log.Entries().Count(e => e.PathAndQuery == "/discover/playlist/"));

        await Dataset.AssertMatchesSandboxAsync(output, site.Catalog, menu, MaxPages, azurite);
        await using var server = StatusReader.On(azurite);
        var final = await server.StatusAsync();
        Assert.Equal(crawlId, final.GetProperty("crawlId").GetString());
        Assert.Equal(menu, final.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!));
        Dataset.AssertFinalStatus(final, site.Catalog, menu, MaxPages, apiLists: true);
    }
}
