using Microsoft.Extensions.Time.Testing;
using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class BlockRepeatTests
{
    [Fact]
    public async Task Asking_again_for_a_blocked_url_is_a_repeat_and_other_urls_are_not()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BlockAfterRequests = 1, BlockForSeconds = 30, BlockShape = "460" });
        using var client = new SiteClient(site);
        var first = site.Catalog.PageIds("说唱", 0)[1];
        var second = site.Catalog.PageIds("说唱", 0)[2];

        await client.TextAsync($"/playlist?id={first}");       // passes; opens nothing yet
        await client.TextAsync($"/playlist?id={second}");      // blocked
        await client.TextAsync($"/playlist?id={first}");       // blocked, but first was never blocked before: not a repeat
        await client.TextAsync($"/playlist?id={second}");      // a repeat of a blocked request

        var repeats = site.Log.RepeatsWithin(TimeSpan.FromSeconds(10));
        var repeat = Assert.Single(repeats);
        Assert.Equal($"/playlist?id={second}", repeat.PathAndQuery);
        Assert.Equal(3, site.Log.ByOutcome()["blocked"]);
        Assert.Empty(site.Log.RepeatsWithin(TimeSpan.Zero));

        using var stats = JsonDocument.Parse(await client.TextAsync("/_sandbox/stats"));
        var blockedRepeats = stats.RootElement.GetProperty("blockedRepeats");
        Assert.Equal(30, blockedRepeats.GetProperty("withinSeconds").GetInt64());
        Assert.Equal(1, blockedRepeats.GetProperty("count").GetInt64());
        using var none = JsonDocument.Parse(await client.TextAsync("/_sandbox/stats?withinSeconds=0"));
        Assert.Equal(0, none.RootElement.GetProperty("blockedRepeats").GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task A_repeat_after_the_window_given_is_not_counted()
    {
        // Each reading of the clock moves it on a millisecond, as an answer is written after its request arrives.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BlockAfterRequests = 1, BlockForSeconds = 30 }, time: time);
        using var client = new SiteClient(site);
        await client.TextAsync("/playlist?id=1");
        await client.GetAsync("/api/v6/playlist/detail?id=1");
        time.Advance(TimeSpan.FromSeconds(1.1));
        await client.GetAsync("/api/v6/playlist/detail?id=1");

        Assert.Empty(site.Log.RepeatsWithin(TimeSpan.FromSeconds(1)));
        Assert.Single(site.Log.RepeatsWithin(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Each_block_window_counts_its_own_blocked_answers()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BlockAfterRequests = 2, BlockForSeconds = 5, BlockShape = "503" }, time: time);
        using var client = new SiteClient(site);
        for (var i = 0; i < 5; i++) await client.GetAsync($"/playlist?id={i}"); // 2 pass, then a window: 3 blocked
        time.Advance(TimeSpan.FromSeconds(6));
        for (var i = 0; i < 3; i++) await client.GetAsync($"/playlist?id={i}"); // 2 pass, then a second window: 1 blocked

        Assert.Equal([3, 1], site.Log.BlockEpisodes(TimeSpan.FromSeconds(5)).Select(e => e.BlockedAnswers));
        using var stats = JsonDocument.Parse(await client.TextAsync("/_sandbox/stats"));
        var episodes = stats.RootElement.GetProperty("blockEpisodes");
        Assert.Equal(2, episodes.GetProperty("count").GetInt32());
        Assert.Equal(3, episodes.GetProperty("mostBlockedAnswers").GetInt32());
    }

    [Fact]
    public async Task Entries_keep_path_query_and_answer_time()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions());
        using var client = new SiteClient(site);
        var path = SiteClient.ListPath("R&B/Soul", 1);
        await client.TextAsync(path);
        var entry = Assert.Single(await site.Log.EntriesAsync(1));
        Assert.Equal(path, entry.PathAndQuery);
        Assert.True(entry.AnsweredAt >= entry.ArrivedAt);
        Assert.Equal("ok", entry.Outcome);
    }
}
