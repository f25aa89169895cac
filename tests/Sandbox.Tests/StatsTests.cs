using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class StatsTests
{
    [Fact]
    public async Task Stats_count_site_requests_per_second_and_by_path()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions());
        using var client = new SiteClient(site);
        var id = site.Catalog.PageIds("说唱", 0)[0];

        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await client.TextAsync(SiteClient.ListPath("说唱", 0));
        await client.TextAsync(SiteClient.ListPath("说唱", 1));
        await client.TextAsync($"/playlist?id={id}");
        await client.TextAsync($"/api/v6/playlist/detail?id={id}");
        await client.BytesAsync(site.Catalog.Playlist(id).CoverUrl);
        await client.TextAsync("/playlist?id=1");
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var stats = JsonDocument.Parse(await client.TextAsync("/_sandbox/stats"));
        var root = stats.RootElement;
        Assert.Equal(6, root.GetProperty("requests").GetInt64());
        Assert.Equal(2, root.GetProperty("byPath").GetProperty("list").GetInt64());
        Assert.Equal(2, root.GetProperty("byPath").GetProperty("playlist").GetInt64());
        Assert.Equal(1, root.GetProperty("byPath").GetProperty("api").GetInt64());
        Assert.Equal(1, root.GetProperty("byPath").GetProperty("cover").GetInt64());
        Assert.Equal(1, root.GetProperty("byOutcome").GetProperty("notFound").GetInt64());

        var perSecond = root.GetProperty("perSecond").EnumerateArray()
            .Select(entry => (Second: entry.GetProperty("second").GetInt64(), Count: entry.GetProperty("count").GetInt32())).ToList();
        Assert.Equal(6, perSecond.Sum(entry => entry.Count));
        Assert.All(perSecond, entry => Assert.InRange(entry.Second, before, after));
        Assert.Equal(perSecond.Max(entry => entry.Count), root.GetProperty("maxPerSecond").GetInt32());
        Assert.Equal(6, site.Log.Requests);
        Assert.Equal(6, site.Log.Entries().Count);
    }

    [Fact]
    public async Task Max_per_second_sees_a_burst()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions());
        using var client = new SiteClient(site);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.TextAsync("/playlist?id=1")));
        Assert.Equal(8, site.Log.Requests);
        Assert.True(site.Log.MaxPerSecond >= 4, $"max per second was {site.Log.MaxPerSecond}");
        Assert.Equal(site.Log.PerSecond().Max(entry => entry.Count), site.Log.MaxPerSecond);
    }

    [Fact]
    public async Task Arrivals_list_each_site_request_since_a_moment_in_order()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions());
        using var client = new SiteClient(site);
        await client.TextAsync("/playlist?id=1");
        var sinceMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1; // after the first request arrived
        await Task.Delay(5);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.TextAsync("/playlist?id=1")));
        await client.TextAsync("/_sandbox/stats"); // the Sandbox's own routes are not site requests

        using var answer = JsonDocument.Parse(await client.TextAsync($"/_sandbox/arrivals?sinceMs={sinceMs}"));
        var arrivals = answer.RootElement.GetProperty("arrivalsMs").EnumerateArray().Select(a => a.GetDouble()).ToList();
        Assert.Equal(5, arrivals.Count);
        Assert.Equal(arrivals.Order(), arrivals);
        Assert.All(arrivals, a => Assert.InRange(a, sinceMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1));
        Assert.Equal(6, site.Log.ArrivalsSince(DateTimeOffset.UnixEpoch).Count);
    }
}
