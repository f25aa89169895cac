using FunctionsCrawler.Storage;
using FunctionsCrawler.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace FunctionsCrawler.Tests.History;

/// <summary>Table <c>PlaylistHistory</c> on a real Azurite: written when a crawl ends, a hundred rows a transaction, read a playlist at a time.</summary>
public sealed class PlaylistHistoryTableTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Ending_a_crawl_records_each_done_playlist_once_per_category_in_batches_and_a_second_record_rewrites_the_same_rows()
    {
        var w = await HistoryWorld.CreateAsync(azurite.NewAccount());
        // 180 + 170 playlists, 20 of them in both categories.
        var rows = Enumerable.Range(1, 180).Select(i => HistoryWorld.Row("说唱", i, 1000L * i, Now.AddMinutes(i % 50)))
            .Concat(Enumerable.Range(161, 170).Select(i => HistoryWorld.Row("R&B/Soul", i, 7L * i, Now.AddMinutes(i % 40)))).ToList();
        var crawl = await w.CrawlAsync("20261201-030000-aaaa", Now, rows, end: false);

        w.Requests.Clear();
        Assert.True(await w.Finish().RunAsync(crawl.CrawlId, default));
        Assert.Equal(350, (await w.HistoryRowsAsync()).Count);
        Assert.Equal(CrawlInfo.Completed, (await w.Crawls.GetAsync(crawl.CrawlId, default))!.State);

        // The history's own cost: the crawl's rows read a thousand at a time, written a hundred to a transaction.
        w.Requests.Clear();
        Assert.Equal(350, await w.History.RecordCrawlAsync(crawl.CrawlId, crawl.Categories, CrawlInfo.Completed, default));
        var perPlaylist = (double)w.Requests.Count / rows.Count;
        output.WriteLine($"recording {rows.Count} playlists took {w.Requests.Count} storage transactions: {perPlaylist:F3} a playlist");
        foreach (var r in w.Requests.Requests) output.WriteLine(r);
        Assert.True(perPlaylist <= 0.05, $"{perPlaylist:F3} transactions a playlist");
        Assert.Equal(2 + 4, w.Requests.Count); // one read and two transactions per category

        // The second record rewrote the same rows: same keys, same values.
        var again = await w.HistoryRowsAsync();
        Assert.Equal(350, again.Count);
        var one = Assert.Single(again, e => e.PartitionKey == PlaylistTable.CategoryKey("R&B/Soul") && e.GetInt64("PlaylistId") == 170);
        Assert.Equal("0000000000000000170|20261201-030000-aaaa", one.RowKey);
        Assert.Equal((1190L, 170L % 7, 170L % 11, 10 + 170L % 30), (one.GetInt64("PlayCount")!.Value, one.GetInt64("ShareCount")!.Value, one.GetInt64("CommentCount")!.Value, one.GetInt64("TrackCount")!.Value));
        Assert.Equal(Now.AddMinutes(170 % 40), one.GetDateTimeOffset("CrawledAt"));
        Assert.Null(one.GetString("Description")); // counters only

        // Once the crawl has ended, finishing it again writes nothing.
        w.Requests.Clear();
        Assert.False(await w.Finish().RunAsync(crawl.CrawlId, default));
        Assert.Equal(0, w.Requests.To(PlaylistHistoryTable.Name));
        Assert.DoesNotContain(w.Requests.Requests, r => r.EndsWith("$batch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_crawl_the_stall_check_fails_keeps_the_counters_it_recorded_marked_failed_and_a_change_skips_them()
    {
        var w = await HistoryWorld.CreateAsync(azurite.NewAccount());
        var stalled = await w.CrawlAsync("20261130-030000-aaaa", Now.AddDays(-1), [HistoryWorld.Row("说唱", 1, 500, Now.AddDays(-1)), HistoryWorld.Row("说唱", 2, 9, Now.AddDays(-1))], end: false);
        // As ResumeStalledCrawls gives up on a crawl: failed, with the item table's tally.
        var tally = await w.Items.TallyAsync(stalled.CrawlId, default);
        Assert.True(await w.Finish().EndAsync(stalled, CrawlInfo.Failed, "no progress after its unfinished work was sent again 3 times", tally, Now, default));
        Assert.Equal(CrawlInfo.Failed, (await w.Crawls.GetAsync(stalled.CrawlId, default))!.State);
        Assert.Equal(CrawlInfo.Failed, Assert.Single(await w.History.ReadPlaylistAsync("说唱", 1, default)).CrawlState);

        await w.CrawlAsync("20261201-030000-bbbb", Now, [HistoryWorld.Row("说唱", 1, 800, Now)]);
        var history = Assert.Single(((FunctionsCrawler.Data.PlaylistHistory)(await new FunctionsCrawler.Data.PlaylistBrowser(w.Playlists, w.Items, w.Crawls, w.History)
            .HistoryAsync("1", "说唱", default)).Json!).Categories);
        Assert.Equal([500L, 800], history.Points.Select(p => p.PlayCount));
        Assert.Equal(["completed", "failed"], history.Crawls.Select(c => c.State));
        Assert.Null(history.Previous); // a change is measured from a completed crawl only
    }

    [Fact]
    public async Task A_playlists_history_across_two_crawls_is_read_oldest_first_per_category()
    {
        var w = await HistoryWorld.CreateAsync(azurite.NewAccount());
        await w.CrawlAsync("20261124-030000-aaaa", Now.AddDays(-7), [HistoryWorld.Row("说唱", 42, 1_000, Now.AddDays(-7), subscribed: 5), HistoryWorld.Row("说唱", 43, 9, Now.AddDays(-7))]);
        await w.CrawlAsync("20261201-030000-bbbb", Now, [HistoryWorld.Row("说唱", 42, 1_700, Now, subscribed: 8), HistoryWorld.Row("华语", 42, 1_700, Now)]);

        var rap = await w.History.ReadPlaylistAsync("说唱", 42, default);
        Assert.Equal(["20261124-030000-aaaa", "20261201-030000-bbbb"], rap.Select(r => r.CrawlId));
        Assert.Equal([1_000L, 1_700], rap.Select(r => r.PlayCount));
        Assert.Equal([5L, 8], rap.Select(r => r.SubscribedCount));
        Assert.Equal([Now.AddDays(-7), Now], rap.Select(r => r.CrawledAt));
        Assert.All(rap, r => Assert.Equal(CrawlInfo.Completed, r.CrawlState));
        Assert.Equal("20261201-030000-bbbb", Assert.Single(await w.History.ReadPlaylistAsync("华语", 42, default)).CrawlId);
        Assert.Empty(await w.History.ReadPlaylistAsync("流行", 42, default));
        Assert.Single(await w.History.ReadPlaylistAsync("说唱", 43, default));
    }

    [Fact]
    public async Task A_year_of_daily_points_is_one_range_query()
    {
        var w = await HistoryWorld.CreateAsync(azurite.NewAccount());
        // A year of daily crawls of three neighbouring ids: the middle one's range holds its 365 rows and nothing else.
        var year = Enumerable.Range(0, 365).SelectMany(d => new[] { 41L, 42, 43 }.Select(id => new HistoryRow(id, "说唱",
            $"{Now.AddDays(d - 364):yyyyMMdd}-030000-{d:x4}", Now.AddDays(d - 364), 1000 + d, d, 0, 0, 20))).ToList();
        await w.History.UpsertAsync(year, default);

        w.Requests.Clear();
        var points = await w.History.ReadPlaylistAsync("说唱", 42, default);
        Assert.Equal(1, w.Requests.Count);
        Assert.Equal(365, points.Count);
        Assert.All(points, p => Assert.Equal(42, p.PlaylistId));
        Assert.Equal(Enumerable.Range(0, 365).Select(d => 1000L + d), points.Select(p => p.PlayCount)); // oldest first
    }

    [Fact]
    public async Task Old_rows_go_by_their_age_and_the_table_may_be_missing()
    {
        var w = await HistoryWorld.CreateAsync(azurite.NewAccount(), historyTable: false);
        Assert.Equal(0, await w.History.DeleteOlderThanAsync(Now, default)); // before any crawl ended: no table, nothing to do
        Assert.Empty(await w.History.ReadPlaylistAsync("说唱", 1, default));

        // The first crawl that ends creates the table.
        await w.CrawlAsync("20261201-030000-aaaa", Now, [HistoryWorld.Row("说唱", 1, 1, Now)]);
        var rows = Enumerable.Range(0, 250).Select(i => new HistoryRow(i + 100, i % 2 == 0 ? "说唱" : "华语", "20250101-030000-aaaa", Now.AddDays(-400 + i % 3), 1, 1, 1, 1, 1));
        await w.History.UpsertAsync(rows, default);

        w.Requests.Clear();
        Assert.Equal(250, await w.History.DeleteOlderThanAsync(Now.AddDays(-365), default));
        Assert.True(w.Requests.Count <= 1 + 4, string.Join('\n', w.Requests.Requests)); // one read, a transaction per hundred rows of a category
        Assert.Equal(1, Assert.Single(await w.HistoryRowsAsync()).GetInt64("PlaylistId"));
    }
}
