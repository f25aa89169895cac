using System.Net.Http.Json;
using System.Text.Json;
using FunctionsCrawler.Sandbox;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>./run.sh and an unfinished crawl of other categories: refused with exit code 2 naming it; --new cancels it.</summary>
public sealed class CrawlOverlapTests(AzuriteFixture azurites) : IClassFixture<AzuriteFixture>
{
    private static Dictionary<string, string> Run(StorageAccount azurite, SandboxSite site, string categories, string output, bool startNew = false) => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["NetEase:BaseUrl"] = site.BaseUrl.ToString(),
        ["NetEase:RequestsPerSecond"] = "50",
        ["Crawler:Categories"] = categories,
        ["Crawler:MaxPages"] = "1",
        ["Crawler:Tracks"] = "false", // hundreds a playlist, not what this is about: EndToEnd, DailyRefresh, HostileSite check them
        ["Run:Crawl"] = "true",
        ["Run:Once"] = "true",
        ["Run:New"] = startNew ? "true" : "false",
        ["Run:Out"] = output,
        ["Run:LineSeconds"] = "1",
    };

    [Fact]
    public async Task A_run_overlapping_an_unfinished_crawl_exits_2_naming_it_and_new_cancels_it()
    {
        var azurite = azurites.NewAccount();
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 3, PagesPerCategory = 1, LatencyMs = 40 });
        var output = Directory.CreateTempSubdirectory("crawl-overlap-").FullName;

        string first;
        await using (var host = HostProcess.Start(Run(azurite, site, "说唱,华语", output)))
        {
            first = (await host.ReadStatusAsync()).GetProperty("crawlId").GetString()!;
            host.KillHard(); // unfinished
        }

        await using (var refused = HostProcess.Start(Run(azurite, site, "说唱", output)))
        {
            Assert.Equal(2, await refused.WaitForExitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains(first, refused.Output);
            Assert.Contains("--new", refused.Output);
        }

        string second;
        await using (var replacing = HostProcess.Start(Run(azurite, site, "说唱", output, startNew: true)))
        {
            var exit = await replacing.WaitForExitAsync(TimeSpan.FromMinutes(3));
            Assert.True(exit == 0, $"host exited {exit}:\n{replacing.Output}");
            Assert.Contains($"Cancelling crawl {first}", replacing.Output);
            second = replacing.Output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("Started crawl ", StringComparison.Ordinal))["Started crawl ".Length..].Split(':')[0];
        }

        await using var server = StatusReader.On(azurite);
        Assert.Equal("cancelled", (await server.CrawlAsync(first)).GetProperty("state").GetString());
        var latest = await server.StatusAsync();
        Assert.Equal(second, latest.GetProperty("crawlId").GetString());
        Assert.Equal("completed", latest.GetProperty("state").GetString());
        var list = await server.CrawlsAsync();
        Assert.Equal([second, first], list.GetProperty("crawls").EnumerateArray().Select(c => c.GetProperty("crawlId").GetString()));
    }
}
