using System.Diagnostics;
using System.Text;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task Block_window_serves_each_block_shape_in_turn_then_recovers()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BlockAfterRequests = 2, BlockForSeconds = 2 });
        using var client = new SiteClient(site);
        var id = site.Catalog.PageIds("说唱", 0)[0];
        var api = $"/api/v6/playlist/detail?id={id}";

        Assert.Contains("\"code\":200", await Body(client, api, 200));
        Assert.Contains("m-pl-container", await Body(client, SiteClient.ListPath("说唱", 0), 200));

        Assert.Equal("""{"code":-460,"msg":"Cheating"}""", await Body(client, api, 200));
        var opened = Stopwatch.StartNew(); // the window opened no later than this
        Assert.Equal("""{"code":405,"msg":"操作频繁，请稍候再试"}""", await Body(client, api, 200));
        await Body(client, $"/playlist?id={id}", 503);
        Assert.Contains("很抱歉，服务器开小差了，请稍后再试", await Body(client, SiteClient.ListPath("说唱", 0), 200));
        Assert.Equal("", await Body(client, api, 200));

        // Covers come from a CDN on the real site: they are not blocked.
        await client.BytesAsync(site.Catalog.Playlist(id).CoverUrl);

        var remaining = TimeSpan.FromSeconds(2.05) - opened.Elapsed;
        if (remaining > TimeSpan.Zero)
            await Task.Delay(remaining);
        Assert.Contains("\"code\":200", await Body(client, api, 200));
        Assert.Contains("content-operation", await Body(client, $"/playlist?id={id}", 200));
        Assert.Equal(5, site.Log.ByOutcome()["blocked"]);
    }

    [Fact]
    public async Task Error_rate_half_gives_about_half_server_errors_reproducibly()
    {
        var first = await Statuses(seed: 42);
        var second = await Statuses(seed: 42);
        var errors = first.Count(status => status is 500 or 502);
        Assert.InRange(errors, 70, 130);
        Assert.All(first, status => Assert.Contains(status, new[] { 200, 500, 502 }));
        Assert.Contains(500, first);
        Assert.Contains(502, first);
        Assert.Equal(first, second);

        static async Task<List<int>> Statuses(int seed)
        {
            await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = seed, ErrorRate = 0.5 });
            using var client = new SiteClient(site);
            var statuses = new List<int>();
            for (var i = 0; i < 200; i++)
            {
                using var response = await client.GetAsync(SiteClient.ListPath("华语", i % 3));
                statuses.Add((int)response.StatusCode);
            }
            return statuses;
        }
    }

    [Fact]
    public async Task Latency_delays_site_responses_but_not_sandbox_controls()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { LatencyMs = 1000 });
        using var client = new SiteClient(site);

        var control = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            await client.TextAsync("/_sandbox/health");
            control = clock.Elapsed < control ? clock.Elapsed : control;
        }
        Assert.True(control < TimeSpan.FromMilliseconds(800), $"control route took {control.TotalMilliseconds} ms");

        var list = Stopwatch.StartNew();
        await client.TextAsync(SiteClient.ListPath("说唱", 0));
        Assert.True(list.ElapsedMilliseconds >= 990, $"list page took {list.ElapsedMilliseconds} ms");
    }

    private static async Task<string> Body(SiteClient client, string path, int expectedStatus)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(expectedStatus, (int)response.StatusCode);
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
    }
}
