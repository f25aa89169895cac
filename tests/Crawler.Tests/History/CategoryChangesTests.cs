using FunctionsCrawler.Data;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Storage;
using FunctionsCrawler.TestSupport;
using Xunit;

namespace FunctionsCrawler.Tests.History;

/// <summary>A category's newest completed crawl against the previous one of its site, on a real Azurite.</summary>
public sealed class CategoryChangesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    private static PlaylistRecord Row(long id, long plays, DateTimeOffset at, string category = "说唱") => HistoryWorld.Row(category, id, plays, at, $"歌单 {id}");

    /// <summary>
    /// Last week: ids 1–10. This week: 3–12 (1 and 2 gone, 11 and 12 new), with 5 up by 500, 6 up by 50, 7 down, 8 the same.
    /// Between them a crawl of another site (the Sandbox) and a crawl that did not end.
    /// </summary>
    private static async Task<HistoryWorld> TwoWeeksAsync(StorageAccount account)
    {
        var w = await HistoryWorld.CreateAsync(account);
        await w.CrawlAsync("20261124-030000-aaaa", Now.AddDays(-7), [.. Enumerable.Range(1, 10).Select(i => Row(i, 1000L * i, Now.AddDays(-7)))]);
        await w.CrawlAsync("20261127-030000-sand", Now.AddDays(-4), [Row(99, 1, Now.AddDays(-4))], site: "http://127.0.0.1:5555/");
        await w.CrawlAsync("20261130-030000-open", Now.AddDays(-1), [Row(98, 1, Now.AddDays(-1))], end: false);
        var plays = new Dictionary<long, long> { [5] = 5500, [6] = 6050, [7] = 6000, [8] = 8000 };
        await w.CrawlAsync("20261201-030000-bbbb", Now,
            [.. Enumerable.Range(3, 10).Select(i => Row(i, plays.TryGetValue(i, out var p) ? p : 1000L * i + i, Now)), Row(1, 5, Now, "华语")]);
        return w;
    }

    [Fact]
    public async Task New_gone_and_grew_compare_the_newest_completed_crawl_with_the_previous_one_of_its_site()
    {
        var w = await TwoWeeksAsync(azurite.NewAccount());
        var changes = new CategoryChanges(new PreviousCrawl(w.Crawls, w.Items));

        var result = await changes.GetAsync("说唱", "3", default);
        Assert.Equal(200, result.StatusCode);
        var view = (CategoryChangesView)result.Json!;
        Assert.Equal(("20261201-030000-bbbb", "20261124-030000-aaaa"), (view.CrawlId, view.PreviousCrawlId));
        Assert.Equal((2, 2), (view.NewCount, view.GoneCount));
        Assert.Equal([12L, 11], view.New.Select(p => p.PlaylistId)); // most played first
        Assert.Equal(("歌单 12", 12_012L, "playlists/12/history?category=%E8%AF%B4%E5%94%B1"), (view.New[0].Name, view.New[0].PlayCount, view.New[0].History));
        Assert.Equal([2L, 1], view.Gone.Select(p => p.PlaylistId));
        Assert.Equal(2_000, view.Gone[0].PlayCount); // as last listed
        // The 3 that grew most: 5 (+500), 6 (+50), 10 (+10); 7 fell and 8 stayed the same.
        Assert.Equal([(5L, 5_000L, 5_500L, 500L), (6, 6_000, 6_050, 50), (10, 10_000, 10_010, 10)],
            view.Grew.Select(g => (g.PlaylistId, g.From, g.To, g.Increase)));

        // What the status counts when a crawl ends: gone per category, where a previous crawl read it.
        var previous = new PreviousCrawl(w.Crawls, w.Items);
        var newest = (await w.Crawls.GetAsync("20261201-030000-bbbb", default))!;
        Assert.Equal(new Dictionary<string, int> { ["说唱"] = 2 }, await previous.CountGoneAsync(newest, await w.Items.TallyAsync(newest.CrawlId, default), default));
        var oldest = (await w.Crawls.GetAsync("20261124-030000-aaaa", default))!;
        Assert.Empty(await previous.CountGoneAsync(oldest, await w.Items.TallyAsync(oldest.CrawlId, default), default)); // nothing before it
    }

    [Fact]
    public async Task One_crawl_compares_nothing_and_bad_values_are_named()
    {
        var w = await TwoWeeksAsync(azurite.NewAccount());
        var changes = new CategoryChanges(new PreviousCrawl(w.Crawls, w.Items));

        var single = (CategoryChangesView)(await changes.GetAsync("华语", null, default)).Json!;
        Assert.Equal(("20261201-030000-bbbb", null, 0, 0), (single.CrawlId, single.PreviousCrawlId, single.NewCount, single.GoneCount));
        Assert.Empty(single.Grew);

        var unknown = await changes.GetAsync("流行", null, default);
        Assert.Equal(404, unknown.StatusCode);
        Assert.Equal("No completed crawl of category '流行' yet.", unknown.Error);

        foreach (var top in new[] { "0", "-1", "lots", "1.5" })
        {
            var refused = await changes.GetAsync("说唱", top, default);
            Assert.Equal(400, refused.StatusCode);
            Assert.Equal($"top must be a whole number from 1 to {CategoryChanges.MaxTop}, got '{top}'.", refused.Error);
        }
        Assert.Equal(CategoryChanges.MaxTop, CategoryChanges.ParseTop("1000"));
        Assert.Equal(400, (await changes.GetAsync(new string('唱', 101), null, default)).StatusCode);
        // A '/' in a category reaches the route as %2F.
        Assert.Equal("R&B/Soul", CategoryChanges.RouteCategory("R&B%2FSoul"));
    }
}
