using FunctionsCrawler.Sandbox;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// Crashes of every process, storage included, mid-crawl: the run that follows resumes and ends with exactly the
/// Sandbox's dataset and exact counts. Apart from <see cref="ResilienceTests"/> so the two run side by side.
/// </summary>
public sealed class CrashResumeTests
{
    [Fact]
    public async Task Killing_everything_twice_mid_crawl_then_resuming_finishes_with_the_exact_dataset()
    {
        await using var killable = await Azurite.StartAsync(persistent: true); // killed and restarted below: its own
        var azurite = killable.Account;
        // Latency and a modest rate keep the crawl running long enough to be killed in the middle.
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 5, PagesPerCategory = ResilienceTests.MaxPages, LatencyMs = 30 });
        var output = Directory.CreateTempSubdirectory("crawl-killed-").FullName;
        var settings = ResilienceTests.CrawlSettings(azurite, site, output);
        settings["NetEase:RequestsPerSecond"] = "12";
        settings["NetEase:DetailSource"] = "api"; // the JSON API as the detail source: its fields must match too
        var random = new Random(42); // seeded: the same kill points every run

        for (var kill = 0; kill < 2; kill++)
        {
            await using var victim = HostProcess.Start(settings);
            await victim.WaitForPlaylistsDoneAsync(minimumDone: 5 + random.Next(20));
            victim.KillHard();
            if (kill == 1)
            {
                // The second time, storage dies too. Azure never loses a write it acknowledged; Azurite keeps its metadata
                // in memory and saves it every 5 s (LokiJS autosaveInterval 5000), so killed at once it can forget an
                // acknowledged blob while keeping the table row that names it. Its last save first, then the kill.
                await Task.Delay(TimeSpan.FromSeconds(6));
                await killable.KillAndRestartAsync();
            }
        }

        await using var host = HostProcess.Start(settings);
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(6));
        Assert.True(exitCode == 0, $"host exited {exitCode}:\n{host.Output}");
        Assert.Contains("Resuming crawl", host.Output);
        await Dataset.AssertMatchesSandboxAsync(output, site.Catalog, ResilienceTests.Categories, ResilienceTests.MaxPages, azurite);
        await using var server = StatusReader.On(azurite);
        Dataset.AssertFinalStatus(await server.StatusAsync(), site.Catalog, ResilienceTests.Categories, ResilienceTests.MaxPages, apiLists: true);
    }
}
