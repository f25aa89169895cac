using System.Text;
using FunctionsCrawler.Api;
using FunctionsCrawler.Data;
using FunctionsCrawler.Export;
using FunctionsCrawler.Storage;
using FunctionsCrawler.TestSupport;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using Xunit;

namespace FunctionsCrawler.Tests.History;

/// <summary>The history's routes and exports over a real Azurite: a playlist's points, and every row as Parquet and CSV.</summary>
public sealed class HistoryRoutesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    private static PlaylistBrowser Browser(HistoryWorld w) => new(w.Playlists, w.Items, w.Crawls, w.History);

    private static async Task<byte[]> BodyAsync(ApiResult result)
    {
        using var stream = new MemoryStream();
        await result.WriteBodyAsync(stream, default);
        return stream.ToArray();
    }

    /// <summary>Two crawls a week apart, a formula-like category among them, and a crawl still running.</summary>
    private static async Task<HistoryWorld> TwoWeeksAsync(StorageAccount account)
    {
        var w = await HistoryWorld.CreateAsync(account);
        await w.CrawlAsync("20261124-030000-aaaa", Now.AddDays(-7),
            [HistoryWorld.Row("说唱", 42, 1_000, Now.AddDays(-7), subscribed: 5), HistoryWorld.Row("说唱", 7, 70, Now.AddDays(-7)), HistoryWorld.Row("-cmd", 42, 1_000, Now.AddDays(-7))]);
        await w.CrawlAsync("20261201-030000-bbbb", Now,
            [HistoryWorld.Row("说唱", 42, 1_700, Now, "new name", subscribed: 8), HistoryWorld.Row("说唱", 8, 80, Now), HistoryWorld.Row("-cmd", 42, 1_650, Now)]);
        return w;
    }

    [Fact]
    public async Task A_playlists_history_has_its_points_oldest_first_read_in_one_range_query_per_category()
    {
        var w = await TwoWeeksAsync(azurite.NewAccount());
        // A crawl still running has written the latest view but no history yet.
        await w.CrawlAsync("20261202-030000-cccc", Now.AddDays(1), [HistoryWorld.Row("说唱", 42, 1_800, Now.AddDays(1))], end: false);
        var browser = Browser(w);

        w.Requests.Clear();
        var result = await browser.HistoryAsync("42", "说唱", default);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(1, w.Requests.To(PlaylistHistoryTable.Name)); // the category's points: one range query
        var history = Assert.Single(((PlaylistHistory)result.Json!).Categories);
        Assert.Equal([Now.AddDays(-7), Now], history.Points.Select(p => p.CrawledAt));
        Assert.Equal([1_000L, 1_700], history.Points.Select(p => p.PlayCount));
        Assert.Equal([5L, 8], history.Points.Select(p => p.SubscribedCount));
        Assert.Equal([10 + 42L % 30, 10 + 42L % 30], history.Points.Select(p => p.TrackCount));
        // The answer's other fields as before: the latest row (from the running crawl), the crawls newest first, the change.
        Assert.Equal(("20261202-030000-cccc", "running", 1_800L), (history.Latest.CrawlId, history.Latest.State, history.Latest.PlayCount));
        Assert.Equal(["20261201-030000-bbbb", "20261124-030000-aaaa"], history.Crawls.Select(c => c.CrawlId));
        Assert.All(history.Crawls, c => Assert.Equal("completed", c.State));
        Assert.Equal(new PlaylistChange(100, -8, 1, "20261201-030000-bbbb"), history.Change);

        // Every category holding it, read side by side.
        w.Requests.Clear();
        var both = (PlaylistHistory)(await browser.HistoryAsync("42", null, default)).Json!;
        Assert.Equal(["-cmd", "说唱"], both.Categories.Select(c => c.Category).Order(StringComparer.Ordinal));
        Assert.Equal(2, w.Requests.To(PlaylistHistoryTable.Name));
        Assert.Equal([1_000L, 1_650], both.Categories.Single(c => c.Category == "-cmd").Points.Select(p => p.PlayCount));

        Assert.Equal(400, (await browser.HistoryAsync("42", new string('唱', 101), default)).StatusCode);
        Assert.Equal(404, (await browser.HistoryAsync("43", null, default)).StatusCode);
    }

    [Fact]
    public async Task The_run_export_writes_the_history_of_the_crawls_categories_typed_sorted_and_guarded()
    {
        var w = await TwoWeeksAsync(azurite.NewAccount());
        await w.CrawlAsync("20261201-040000-dddd", Now, [HistoryWorld.Row("流行", 1, 1, Now)]); // another category: not in this export
        var crawl = (await w.Crawls.GetAsync("20261201-030000-bbbb", default))!;
        var dir = Directory.CreateTempSubdirectory("history-export-").FullName;
        try
        {
            var summary = await new CrawlExport(w.Items, w.Covers, w.History, new TrackLists(new PlaylistTracksTable(w.Storage), new TrackTable(w.Storage))).WriteAsync(crawl, dir, default);
            Assert.Equal(6, summary.HistoryRows);
            Assert.Equal(3, summary.Rows);

            // Parquet: int64 ids and counts, a UTC timestamp, as pandas reads them (int64, datetime64[ms, UTC]).
            await using (var file = File.OpenRead(Path.Combine(dir, "playlist_history.parquet")))
            {
                await using var reader = await ParquetReader.CreateAsync(file);
                Assert.Equal(PlaylistHistoryCsv.Header, reader.Schema.Fields.Select(f => f.Name));
                foreach (var name in new[] { "playlist_id", "play_count", "subscribed_count", "share_count", "comment_count", "track_count" })
                {
                    var field = Assert.IsType<DataField>(reader.Schema.Fields.Single(f => f.Name == name), exactMatch: false);
                    Assert.Equal(typeof(long), field.ClrType);
                    Assert.False(field.IsNullable);
                }
                var crawledAt = Assert.IsType<DateTimeDataField>(reader.Schema.Fields.Single(f => f.Name == "crawled_at"));
                Assert.True(crawledAt.IsAdjustedToUTC);
            }
            await using (var file = File.OpenRead(Path.Combine(dir, "playlist_history.parquet")))
            {
                var rows = (await ParquetSerializer.DeserializeAsync<PlaylistHistoryParquet.Row>(file, null, null, CancellationToken.None)).Data.ToList();
                // By category (ordinal: '=' before CJK), playlist id, then time.
                Assert.Equal([("-cmd", 42L, 1_000L), ("-cmd", 42, 1_650), ("说唱", 7, 70), ("说唱", 8, 80), ("说唱", 42, 1_000), ("说唱", 42, 1_700)],
                    rows.Select(r => (r.Category, r.PlaylistId, r.PlayCount)));
                Assert.Equal(Now.AddDays(-7).UtcDateTime, rows[0].CrawledAt);
                Assert.Equal(DateTimeKind.Utc, rows[0].CrawledAt.Kind);
            }

            // CSV: the same header and rows, BOM, CRLF, ISO times, and the formula guard on text.
            var csv = await File.ReadAllBytesAsync(Path.Combine(dir, "playlist_history.csv"));
            Assert.Equal(Encoding.UTF8.Preamble.ToArray(), csv[..3]);
            var lines = Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(string.Join(',', PlaylistHistoryCsv.Header), lines[0]);
            Assert.Equal($"42,\"'-cmd\",2026-11-24T03:00:00Z,1000,0,{42 % 7},{42 % 11},{10 + 42 % 30}", lines[1]);
            Assert.Equal($"42,说唱,2026-12-01T03:00:00Z,1700,8,{42 % 7},{42 % 11},{10 + 42 % 30}", lines[6]);
            Assert.Equal(7, lines.Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_history_routes_send_every_category_or_the_one_named_and_refuse_a_bad_category()
    {
        var w = await TwoWeeksAsync(azurite.NewAccount());
        var browser = Browser(w);

        var parquet = await browser.HistoryParquetAsync(null, default);
        Assert.Equal(200, parquet.StatusCode);
        Assert.Equal("application/vnd.apache.parquet", parquet.ContentType);
        Assert.Equal("attachment; filename=playlist_history.parquet", parquet.Headers["Content-Disposition"]);
        var bytes = await BodyAsync(parquet);
        Assert.Equal(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), parquet.Headers["Content-Length"]);
        using (var stream = new MemoryStream(bytes))
            Assert.Equal(6, (await ParquetSerializer.DeserializeAsync<PlaylistHistoryParquet.Row>(stream, null, null, CancellationToken.None)).Data.Count);

        var csv = await browser.HistoryCsvAsync("说唱", default);
        Assert.Equal("text/csv; charset=utf-8", csv.ContentType);
        Assert.Equal("attachment; filename=\"playlist_history.csv\"", csv.Headers["Content-Disposition"]);
        var lines = Encoding.UTF8.GetString(await BodyAsync(csv)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length); // the header and 说唱's four rows
        Assert.All(lines.Skip(1), l => Assert.Contains(",说唱,", l, StringComparison.Ordinal));

        var empty = await browser.HistoryCsvAsync("流行", default); // a category without history: the header alone
        Assert.Single(Encoding.UTF8.GetString(await BodyAsync(empty)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries));

        foreach (var bad in new[] { new string('唱', 101), "a\u0000b" })
        {
            var refused = await browser.HistoryParquetAsync(bad, default);
            Assert.Equal(400, refused.StatusCode);
            Assert.StartsWith("category must be at most 100 characters", refused.Error, StringComparison.Ordinal);
            Assert.Equal(400, (await browser.HistoryCsvAsync(bad, default)).StatusCode);
        }
    }
}
