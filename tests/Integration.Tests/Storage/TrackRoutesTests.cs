using System.Text;
using FunctionsCrawler.Api;
using FunctionsCrawler.Data;
using FunctionsCrawler.Export;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Time.Testing;
using Parquet.Serialization;
using Xunit;

namespace FunctionsCrawler.Integration.Tests.Storage;

/// <summary>
/// What reads the tracks, on a real Azurite: a crawl whose rows name stored track lists, one playlist in two of its
/// categories, one row without a list, one song the site did not know; its export files and the track routes.
/// </summary>
[Collection(nameof(InProcessStorage))]
public sealed class TrackRoutesTests(AzuriteFixture azurites) : IAsyncLifetime
{
    private const string CrawlId = "20261201-030000-7a7a";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Added = new(2025, 5, 4, 3, 2, 1, TimeSpan.Zero);
    private const string Formula = "=HYPERLINK(\"http://evil.example\",\"x\")";

    private StorageClients _storage = null!;
    private PlaylistTable _playlists = null!;
    private CrawlItemTable _items = null!;
    private CrawlTable _crawls = null!;
    private PlaylistTracksTable _lists = null!;
    private TrackTable _songs = null!;
    private readonly FakeTimeProvider _time = new(Now);

    public async Task InitializeAsync()
    {
        _storage = LocalStorage.Clients(azurites.NewAccount());
        _playlists = new PlaylistTable(_storage);
        _items = new CrawlItemTable(_storage);
        _crawls = new CrawlTable(_storage);
        _lists = new PlaylistTracksTable(_storage);
        _songs = new TrackTable(_storage);
        await new CrawlStorage(_storage, new CrawlQueues(_storage), _playlists, _items, _crawls, new CoverStore(_storage),
            new PlaylistHistoryTable(_storage, _items), _lists, _songs).EnsureCreatedAsync(default);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private TrackLists TrackLists() => new(_lists, _songs);

    private TrackBrowser Tracks() =>
        new(_playlists, _items, _crawls, TrackLists(), _songs, new PlaylistBrowser(_playlists, _items, _crawls, new PlaylistHistoryTable(_storage, _items)), _time);

    private static PlaylistRecord Row(string category, long id, string name, TrackListRef? tracks, long trackCount) => new()
    {
        Category = category,
        CrawlId = CrawlId,
        CrawledAt = Now,
        Tracks = tracks,
        Detail = new PlaylistDetail { Id = id, Name = name, TrackCount = trackCount },
    };

    /// <summary>
    /// Playlist 101 (in 说唱 and 流行) lists songs 11, 12 and 13 (unknown to the site); 102 (说唱) lists 12, 14, 11; 103
    /// (说唱) was recorded without a list. The crawl's own rows and the latest view hold them; the crawl completed.
    /// </summary>
    private async Task<CrawlInfo> CrawlAsync()
    {
        var first = await _lists.SaveAsync(new PlaylistTracks(101, 4, [new(11, 0, Added), new(12, 1, null), new(13, 2, Added.AddDays(1))], Added.AddDays(2)),
            CrawlId, null, default);
        var second = await _lists.SaveAsync(new PlaylistTracks(102, 3, [new(12, 0, Added), new(14, 1, Added), new(11, 2, Added)], null), CrawlId, null, default);
        await _songs.SaveAsync(
        [
            new Song(11, "夜曲", [6452], ["周杰伦"], 18_905, "十一月的萧邦", 226_000),
            new Song(12, Formula, [7_000_000_001, 0], ["+1 rapper", "someone"], null, null, 61_000),
            new Song(14, "Night Run", [99], ["DJ 夜"], 5_000_000_001, "-Late", null),
        ], [13], Now, default);

        PlaylistRecord[] rows =
        [
            Row("说唱", 101, "both categories", first, 4), Row("流行", 101, "both categories", first, 4),
            Row("说唱", 102, "second", second, 3), Row("说唱", 103, "no list", null, 9),
        ];
        string[] categories = ["说唱", "流行"];
        var crawl = new CrawlInfo(CrawlId, categories, 0, Now, "test");
        await _crawls.AddAsync(crawl, default);
        foreach (var category in categories)
        {
            var mine = rows.Where(r => r.Category == category).ToList();
            await _items.FinishPageAsync(CrawlId, category, 0, [.. mine.Select(r => r.Detail.Id)], Now, default);
            foreach (var r in mine)
            {
                var item = await _items.GetPlaylistAsync(CrawlId, category, r.Detail.Id, default);
                await _items.FinishPlaylistsAsync([new CrawlItemTable.Finish(item!, CrawlItemTable.Done, r, null, null)], Now, default);
            }
            await _playlists.UpsertAllAsync(mine, default);
        }
        await _crawls.EndAsync(CrawlId, CrawlInfo.Completed, null,
            new CrawlTally(categories.ToDictionary(c => c, _ => new CategoryCounts { PagesTotal = 1, PagesDone = 1 }), 0, 0, 0), Now, default);
        return (await _crawls.GetAsync(CrawlId, default))!;
    }

    private static async Task<byte[]> BodyAsync(ApiResult result)
    {
        using var stream = new MemoryStream();
        await result.WriteBodyAsync(stream, default);
        return stream.ToArray();
    }

    private static string[] CsvLines(byte[] bytes) => Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task The_export_writes_each_list_once_in_order_and_each_known_song_once_in_id_order()
    {
        var crawl = await CrawlAsync();
        var dir = Directory.CreateTempSubdirectory("tracks-export-").FullName;
        try
        {
            var summary = await new CrawlExport(_items, new CoverStore(_storage), new PlaylistHistoryTable(_storage, _items), TrackLists()).WriteAsync(crawl, dir, default);
            Assert.Equal(4, summary.Rows);
            Assert.Equal(6, summary.PlaylistTrackRows); // 101 once, though it is in two categories
            Assert.Equal(3, summary.TrackRows); // 13 is unknown
            Assert.Equal(1, summary.UnknownTracks);

            Assert.Equal(
            [
                "playlist_id,position,track_id,added_at",
                "101,0,11,2025-05-04T03:02:01Z", "101,1,12,", "101,2,13,2025-05-05T03:02:01Z",
                "102,0,12,2025-05-04T03:02:01Z", "102,1,14,2025-05-04T03:02:01Z", "102,2,11,2025-05-04T03:02:01Z",
            ], CsvLines(await File.ReadAllBytesAsync(Path.Combine(dir, "playlist_tracks.csv"))));
            Assert.Equal(
            [
                "track_id,name,artist_ids,artist_names,album_id,album_name,duration_ms",
                "11,夜曲,6452,周杰伦,18905,十一月的萧邦,226000",
                "12,\"'" + Formula.Replace("\"", "\"\"", StringComparison.Ordinal) + "\",7000000001;0,\"'+1 rapper;someone\",,,61000",
                "14,Night Run,99,DJ 夜,5000000001,\"'-Late\",",
            ], CsvLines(await File.ReadAllBytesAsync(Path.Combine(dir, "tracks.csv"))));

            await using (var file = File.OpenRead(Path.Combine(dir, "playlist_tracks.parquet")))
            {
                var rows = (await ParquetSerializer.DeserializeAsync<MembershipRow>(file, null, null, CancellationToken.None)).Data;
                Assert.Equal([(101L, 11L), (101, 12), (101, 13), (102, 12), (102, 14), (102, 11)], rows.Select(r => (r.playlist_id, r.track_id)));
            }
            await using (var file = File.OpenRead(Path.Combine(dir, "tracks.parquet")))
            {
                var rows = (await ParquetSerializer.DeserializeAsync<SongRow>(file, null, null, CancellationToken.None)).Data.ToList();
                Assert.Equal([11L, 12, 14], rows.Select(r => r.track_id));
                Assert.Equal(Formula, rows[1].name);
                Assert.Equal(["+1 rapper", "someone"], rows[1].artist_names);
            }

            // playlists.csv: tracks_listed after track_count, empty for the row without a list.
            var playlists = Dataset.ReadCsv(Path.Combine(dir, "playlists.csv"));
            Assert.Equal([("101", "4", "3"), ("102", "3", "3"), ("103", "9", ""), ("101", "4", "3")],
                playlists.Select(r => (r["playlist_id"], r["track_count"], r["tracks_listed"])));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_playlists_tracks_come_a_page_at_a_time_with_their_songs_and_bad_values_are_named()
    {
        await CrawlAsync();
        var tracks = Tracks();

        var first = await tracks.PlaylistTracksAsync("101", null, null, "2", default);
        Assert.Equal(200, first.StatusCode);
        var page = (PlaylistTracksView)first.Json!;
        Assert.Equal((4L, 3, true, 0, 2), (page.TrackCount, page.Listed, page.Stored, page.Skip, page.Top));
        Assert.Equal([11L, 12], page.Tracks.Select(t => t.TrackId));
        Assert.Equal(("夜曲", "十一月的萧邦", 226_000L, Added), (page.Tracks[0].Name, page.Tracks[0].AlbumName, page.Tracks[0].DurationMs!.Value, page.Tracks[0].AddedAt!.Value));
        Assert.Equal(["+1 rapper", "someone"], page.Tracks[1].ArtistNames); // raw text: the page shows it as text
        Assert.Equal("playlists/101/tracks?category=%E6%B5%81%E8%A1%8C&skip=2&top=2", page.Next);

        var rest = (PlaylistTracksView)(await tracks.PlaylistTracksAsync("101", "流行", "2", "2", default)).Json!;
        var unknown = Assert.Single(rest.Tracks);
        Assert.Equal((2, 13L, false, (string?)null), (unknown.Position, unknown.TrackId, unknown.Known, unknown.Name));
        Assert.Null(rest.Next);

        var none = (PlaylistTracksView)(await tracks.PlaylistTracksAsync("103", null, null, null, default)).Json!;
        Assert.Equal((9L, (int?)null, 0), (none.TrackCount, none.Listed, none.Tracks.Count));

        Assert.Equal(404, (await tracks.PlaylistTracksAsync("999", null, null, null, default)).StatusCode);
        Assert.Equal(404, (await tracks.PlaylistTracksAsync("102", "流行", null, null, default)).StatusCode);
        foreach (var (id, skip, top, named) in new[] { ("abc", "0", "1", "playlistId"), ("0", "0", "1", "playlistId"), ("101", "-1", "1", "skip"), ("101", "x", "1", "skip"), ("101", "0", "0", "top") })
        {
            var bad = await tracks.PlaylistTracksAsync(id, null, skip, top, default);
            Assert.Equal(400, bad.StatusCode);
            Assert.StartsWith(named + " ", bad.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_most_listed_songs_are_counted_per_category_searched_and_kept_a_minute()
    {
        await CrawlAsync();
        var tracks = Tracks();

        var rap = (TopTracksView)(await tracks.TopAsync("说唱", null, null, default)).Json!;
        Assert.Equal((2, 4, false), (rap.Playlists, rap.Counted, rap.Truncated));
        // 11 and 12 are in both lists (ties by id), 13 in one but unknown to the site, 14 in one.
        Assert.Equal([(11L, 2), (12, 2), (14, 1)], rap.Items.Select(i => (i.TrackId, i.Playlists)));
        Assert.Null(rap.Searched);

        var found = (TopTracksView)(await tracks.TopAsync("说唱", "5", "夜", default)).Json!; // a name, an artist
        Assert.Equal([11L, 14], found.Items.Select(i => i.TrackId));
        Assert.Equal(4, found.Searched);
        Assert.Equal([14L], ((TopTracksView)(await tracks.TopAsync("说唱", null, "late", default)).Json!).Items.Select(i => i.TrackId)); // an album
        Assert.Equal([11L], ((TopTracksView)(await tracks.TopAsync("说唱", "1", null, default)).Json!).Items.Select(i => i.TrackId));

        var all = (TopTracksView)(await tracks.TopAsync(null, null, null, default)).Json!;
        Assert.Equal(2, all.Playlists); // 101 counted once across its two categories

        // Within the minute the counts are reused; after it they are read again.
        await _playlists.UpsertAllAsync([Row("说唱", 102, "second", null, 3)], default);
        Assert.Equal(2, ((TopTracksView)(await tracks.TopAsync("说唱", null, null, default)).Json!).Playlists);
        _time.Advance(TrackBrowser.RankingLifetime);
        var later = (TopTracksView)(await tracks.TopAsync("说唱", null, null, default)).Json!;
        Assert.Equal(1, later.Playlists);
        Assert.Equal([(11L, 1), (12, 1)], later.Items.Select(i => (i.TrackId, i.Playlists)));

        Assert.Equal(400, (await tracks.TopAsync(null, "0", null, default)).StatusCode);
        Assert.Equal(400, (await tracks.TopAsync(null, null, new string('q', 201), default)).StatusCode);
    }

    [Fact]
    public async Task The_track_exports_are_the_latest_crawls_lists_and_songs()
    {
        await CrawlAsync();
        var tracks = Tracks();

        var csv = await tracks.PlaylistTracksCsvAsync(null, null, default);
        Assert.Equal("attachment; filename=\"playlist_tracks.csv\"", csv.Headers["Content-Disposition"]);
        Assert.Equal(7, CsvLines(await BodyAsync(csv)).Length);
        Assert.Equal(["playlist_id,position,track_id,added_at", "101,0,11,2025-05-04T03:02:01Z", "101,1,12,", "101,2,13,2025-05-05T03:02:01Z"],
            CsvLines(await BodyAsync(await tracks.PlaylistTracksCsvAsync("流行", CrawlId, default))));

        var parquet = await tracks.TracksParquetAsync("说唱", null, default);
        Assert.Equal("application/vnd.apache.parquet", parquet.ContentType);
        Assert.Equal("attachment; filename=tracks.parquet", parquet.Headers["Content-Disposition"]);
        using (var body = new MemoryStream(await BodyAsync(parquet)))
            Assert.Equal([11L, 12, 14], (await ParquetSerializer.DeserializeAsync<SongRow>(body, null, null, CancellationToken.None)).Data.Select(r => r.track_id));
        using (var body = new MemoryStream(await BodyAsync(await tracks.PlaylistTracksParquetAsync(null, null, default))))
            Assert.Equal(6, (await ParquetSerializer.DeserializeAsync<MembershipRow>(body, null, null, CancellationToken.None)).Data.Count);
        Assert.Equal(["track_id,name,artist_ids,artist_names,album_id,album_name,duration_ms", "11,夜曲,6452,周杰伦,18905,十一月的萧邦,226000"],
            CsvLines(await BodyAsync(await tracks.TracksCsvAsync("流行", null, default))).Take(2));

        Assert.Equal(404, (await tracks.TracksCsvAsync(null, "20990101-000000-none", default)).StatusCode);
        Assert.Equal(400, (await tracks.PlaylistTracksParquetAsync("a\u0000b", null, default)).StatusCode);
    }

#pragma warning disable IDE1006, CA1707 // the files' column names
    private sealed class MembershipRow
    {
        public long playlist_id { get; set; }
        public long track_id { get; set; }
    }

    private sealed class SongRow
    {
        public long track_id { get; set; }
        public string name { get; set; } = "";
        public List<string> artist_names { get; set; } = [];
    }
#pragma warning restore IDE1006, CA1707
}
