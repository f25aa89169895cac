using System.Diagnostics;
using FunctionsCrawler.Sandbox;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>Ctrl+C and --once end the host promptly and quietly, and an interrupted crawl resumes to the exact dataset.</summary>
public sealed class ShutdownTests(AzuriteFixture azurites) : IClassFixture<AzuriteFixture>
{
    private static readonly string[] Categories = ["说唱"];
    private const int MaxPages = 3;

    [Fact]
    public async Task Ctrl_C_mid_crawl_exits_130_within_3_s_without_a_stack_trace_and_the_next_run_resumes_to_the_exact_dataset()
    {
        var azurite = azurites.NewAccount();
        // Latency keeps the crawl running long enough to be interrupted in the middle.
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 9, PagesPerCategory = MaxPages, LatencyMs = 50 });
        var output = Directory.CreateTempSubdirectory("crawl-interrupted-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["NetEase:BaseUrl"] = site.BaseUrl.ToString(),
            ["NetEase:RequestsPerSecond"] = "10",
            ["Crawler:Categories"] = string.Join(',', Categories),
            ["Crawler:MaxPages"] = MaxPages.ToString(),
            ["Crawler:Tracks"] = "false", // hundreds a playlist, not what this is about: EndToEnd, DailyRefresh, HostileSite check them
            ["Run:Crawl"] = "true",
            ["Run:Once"] = "true",
            ["Run:Out"] = output,
            ["Run:LineSeconds"] = "1",
        };

        await using (var interrupted = HostProcess.Start(settings))
        {
            await interrupted.WaitForPlaylistsDoneAsync(minimumDone: 10);
            var stopping = Stopwatch.StartNew();
            interrupted.Interrupt();
            var exit = await interrupted.WaitForExitAsync(TimeSpan.FromSeconds(20));
            stopping.Stop();

            var said = interrupted.Output;
            Assert.True(exit == 130, $"exit {exit}:\n{said}");
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(3), $"stopping took {stopping.Elapsed}:\n{said}");
            Assert.Contains("Stopped; run ./run.sh again to resume crawl ", said);
            Assert.DoesNotContain(said.Split('\n'), line => line.Contains("   at ", StringComparison.Ordinal) || line.Contains("Exception", StringComparison.Ordinal));
            Assert.DoesNotContain(" fail: ", said);
        }

        await using var resumed = HostProcess.Start(settings);
        var exitCode = await resumed.WaitForExitAsync(TimeSpan.FromMinutes(4));
        Assert.True(exitCode == 0, $"host exited {exitCode}:\n{resumed.Output}");
        Assert.Contains("Resuming crawl", resumed.Output);
        await Dataset.AssertMatchesSandboxAsync(output, site.Catalog, Categories, MaxPages, azurite);
        await using var server = StatusReader.On(azurite);
        Dataset.AssertFinalStatus(await server.StatusAsync(), site.Catalog, Categories, MaxPages, apiLists: true);
    }
}
