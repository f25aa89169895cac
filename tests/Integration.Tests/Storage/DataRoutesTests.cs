using FunctionsCrawler.TestSupport;
using FunctionsCrawler.Api;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Data;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Sandbox.Faults;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace FunctionsCrawler.Integration.Tests.Storage;

/// <summary>The data routes' core handlers on a real Azurite: listing, figures, history, Parquet export and covers.</summary>
[Collection(nameof(InProcessStorage))]
public sealed class DataRoutesTests(AzuriteFixture azurites) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private StorageClients _storage = null!;
    private readonly InMemoryStatusEntities _statuses = new();
    private PlaylistTable _playlists = null!;
    private CrawlItemTable _items = null!;
    private CrawlTable _crawls = null!;
    private CoverStore _covers = null!;
    private readonly CoverThumbnails _thumbnails = new();

    public async Task InitializeAsync()
    {
        _storage = LocalStorage.Clients(azurites.NewAccount());
        _playlists = new PlaylistTable(_storage);
        _items = new CrawlItemTable(_storage);
        _crawls = new CrawlTable(_storage);
        _covers = new CoverStore(_storage);
        await _playlists.EnsureCreatedAsync(default);
        await _items.EnsureCreatedAsync(default);
        await _crawls.EnsureCreatedAsync(default);
        await _covers.EnsureCreatedAsync(default);
    }

    public Task DisposeAsync()
    {
        _thumbnails.Dispose();
        return Task.CompletedTask;
    }

    private PlaylistBrowser Browser() => new(_playlists, _items, _crawls, new PlaylistHistoryTable(_storage, _items));

    private CoverRoute Covers() => new(_covers, _thumbnails, NullLogger<CoverRoute>.Instance);

    private static PlaylistRecord Record(string category, long id, string name, long plays, string crawlId, DateTimeOffset at,
        long subscribed = 0, string? creator = null, string[]? tags = null, bool cover = false) => new()
    {
        Category = category,
        CrawlId = crawlId,
        CrawledAt = at,
        Cover = cover ? new StoredCover($"covers/{id}.jpg", 10, "x") : null,
        Detail = new PlaylistDetail { Id = id, Name = name, PlayCount = plays, SubscribedCount = subscribed, CreatorNickname = creator, Tags = tags ?? [] },
    };

    /// <summary>A registered crawl of the categories, completed or running, whose own rows are these records (and which wrote them to the latest view).</summary>
    private async Task<CrawlInfo> CrawlAsync(string crawlId, DateTimeOffset startedAt, bool completed, params PlaylistRecord[] rows)
    {
        var categories = rows.Select(r => r.Category).Distinct().ToArray();
        var crawl = new CrawlInfo(crawlId, categories, 0, startedAt, "test");
        await _crawls.AddAsync(crawl, default);
        await _statuses.SignalAsync(crawlId, ProgressEvent.Started(crawlId, categories, 0, startedAt));
        foreach (var category in categories)
        {
            await _statuses.SignalAsync(crawlId, ProgressEvent.PagesPlanned(category, completed ? 1 : 2, startedAt));
            await _statuses.SignalAsync(crawlId, ProgressEvent.PageDone(category, 0, 0, startedAt));
            var mine = rows.Where(r => r.Category == category).ToList();
            for (var i = 0; i < mine.Count; i += 30)
                await _items.FinishPageAsync(crawlId, category, 1000 + i, [.. mine.Skip(i).Take(30).Select(r => r.Detail.Id)], startedAt, default);
        }
        foreach (var r in rows)
        {
            var item = await _items.GetPlaylistAsync(crawlId, r.Category, r.Detail.Id, default);
            Assert.True((await _items.FinishPlaylistsAsync([new CrawlItemTable.Finish(item!, CrawlItemTable.Done, r with { CrawlId = crawlId }, null, null)],
                r.CrawledAt, default)).Contains(r.Detail.Id));
            await _playlists.UpsertAllAsync([r with { CrawlId = crawlId }], default);
        }
        if (completed)
        {
            // What FinishCrawl does when a crawl ends: its rows go to the history, then the registry records the end.
            await new PlaylistHistoryTable(_storage, _items).RecordCrawlAsync(crawlId, categories, CrawlInfo.Completed, default);
            await _crawls.EndAsync(crawlId, CrawlInfo.Completed, null,
                new CrawlTally(categories.ToDictionary(c => c, _ => new CategoryCounts { PagesTotal = 1, PagesDone = 1 }), 0, 0, 0), startedAt, default);
        }
        return crawl;
    }

    private static JsonElement Body(ApiResult result) => JsonSerializer.SerializeToElement(result.Json, result.Json!.GetType(), ApiResult.CompactJson);

    private static async Task<byte[]> BodyBytesAsync(ApiResult result)
    {
        using var stream = new MemoryStream();
        await result.WriteBodyAsync(stream, default);
        return stream.ToArray();
    }

    private static async Task AssertOneLineErrorAsync(ApiResult result, int status)
    {
        Assert.Equal(status, result.StatusCode);
        var text = Encoding.UTF8.GetString(await BodyBytesAsync(result));
        Assert.DoesNotContain('\n', text);
        Assert.StartsWith("{\"error\":", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_sorts_searches_and_pages_the_latest_view_and_refuses_bad_values()
    {
        var rows = Enumerable.Range(1, 70).Select(i => Record(i % 2 == 0 ? "说唱" : "R&B/Soul", i, $"list {i:D2}", i * 1000L, "", Now, subscribed: 70 - i,
            creator: i == 7 ? "DJ Ünïcode" : "someone", tags: i == 9 ? ["Late Night"] : ["华语"])).ToArray();
        rows[0] = rows[0] with { Detail = rows[0].Detail with { Name = "<script>alert(1)</script>" } };
        await CrawlAsync("20261201-030000-aaaa", Now, completed: true, rows);
        var browser = Browser();

        var first = await browser.ListAsync(null, null, null, null, null, default);
        Assert.Equal(200, first.StatusCode);
        var page = (PlaylistPage)first.Json!;
        Assert.Equal(70, page.Matched);
        Assert.False(page.Truncated);
        Assert.Equal(50, page.Items.Count); // the default top
        Assert.Equal(Enumerable.Range(21, 50).Reverse().Select(i => i * 1000L), page.Items.Select(i => i.PlayCount));

        var second = (PlaylistPage)(await browser.ListAsync(null, null, null, null, page.Continuation, default)).Json!;
        Assert.Equal(20, second.Items.Count);
        Assert.Null(second.Continuation);
        Assert.Empty(page.Items.Select(i => i.PlaylistId).Intersect(second.Items.Select(i => i.PlaylistId)));

        var byName = (PlaylistPage)(await browser.ListAsync("R&B/Soul", null, "name", "5", null, default)).Json!;
        Assert.Equal(35, byName.Matched);
        Assert.Equal("<script>alert(1)</script>", byName.Items[0].Name); // raw text: the page shows it as text
        Assert.All(byName.Items, i => Assert.Equal("R&B/Soul", i.Category));

        var subscribedAsc = (PlaylistPage)(await browser.ListAsync("说唱", null, "subscribed", "3", null, default)).Json!;
        Assert.Equal([0L, 2, 4], subscribedAsc.Items.Select(i => i.SubscribedCount));

        Assert.Equal(7, Assert.Single(((PlaylistPage)(await browser.ListAsync(null, "ünïCODE", null, null, null, default)).Json!).Items).PlaylistId);
        Assert.Equal(9, Assert.Single(((PlaylistPage)(await browser.ListAsync(null, "late night", null, null, null, default)).Json!).Items).PlaylistId);
        Assert.Equal(PlaylistQuery.MaxTop, PlaylistQuery.Parse(null, null, null, "1000", null).Top); // more than 200 reads as 200

        await AssertOneLineErrorAsync(await browser.ListAsync(null, null, null, "0", null, default), 400);
        await AssertOneLineErrorAsync(await browser.ListAsync(null, null, "popularity", null, null, default), 400);
        await AssertOneLineErrorAsync(await browser.ListAsync(null, "x", null, null, page.Continuation, default), 400); // another query's continuation
        await AssertOneLineErrorAsync(await browser.ListAsync(null, null, null, null, "not-a-continuation", default), 400);
        await AssertOneLineErrorAsync(await browser.ListAsync(null, new string('q', 201), null, null, null, default), 400);
    }

    [Fact]
    public async Task A_registered_hostile_category_is_skipped_by_the_listing_and_the_figures_which_say_so()
    {
        await CrawlAsync("20261201-030000-cccc", Now, completed: true, Record("说唱", 1, "fine", 10, "", Now));
        // A registry row written before names were checked (issue 20): a line break, a NUL, an escape, 5,000 characters.
        string[] hostile = ["说唱\nfoo", "a\0b", "\u001b[31m", new string('唱', 5000)];
        await _crawls.AddAsync(new CrawlInfo("20261201-040000-dddd", hostile, 0, Now.AddHours(1), "http"), default);

        var listing = await Browser().ListAsync(null, null, null, null, null, default);
        Assert.Equal(200, listing.StatusCode);
        var page = (PlaylistPage)listing.Json!;
        Assert.Equal(1, Assert.Single(page.Items).PlaylistId);
        Assert.Equal(4, page.Skipped.Count);
        Assert.StartsWith("'说唱␊foo' of crawl 20261201-040000-dddd: not a category name, it holds a line break", page.Skipped[0]);
        Assert.All(page.Skipped, line => Assert.DoesNotContain(line, c => char.IsControl(c)));

        var stats = (DatasetStats)(await Browser().StatsAsync(null, default)).Json!;
        Assert.Equal("说唱", Assert.Single(stats.Categories).Category);
        Assert.Equal(4, stats.Skipped.Count);
    }

    [Fact]
    public async Task The_listing_stops_at_its_text_budget_and_cuts_long_names()
    {
        // 150 rows with names of 30,000 characters: 4.5 million characters, past the listing's budget of about 8 MiB.
        var rows = Enumerable.Range(1, 150).Select(i => Record("长", i, new string((char)('a' + (i % 26)), 30_000), i, "c", Now)).ToList();
        await _playlists.UpsertAllAsync(rows, default);

        var page = (PlaylistPage)(await Browser().ListAsync("长", null, null, "200", null, default)).Json!;
        Assert.True(page.Truncated);
        Assert.InRange(page.Matched, 130, 140); // stopped once the rows read held the budget
        Assert.All(page.Items, i => Assert.Equal(PlaylistItemView.MaxTextLength + 1, i.Name.Length));
        Assert.All(page.Items, i => Assert.True(i.TextsCut));
    }

    [Fact]
    public async Task Figures_give_count_median_top_ten_and_decades_per_category()
    {
        long[] plays = [0, 5, 50, 500, 5000, 50_000, 500_000, 5_000_000, 7, 70, 700, 7000];
        await CrawlAsync("20261201-030000-bbbb", Now, completed: true, [.. plays.Select((p, i) => Record("流行", i + 1, $"p{i}", p, "", Now))]);

        var stats = (DatasetStats)(await Browser().StatsAsync(null, default)).Json!;
        var pop = Assert.Single(stats.Categories);
        Assert.Equal(12, pop.Count);
        Assert.Equal((500 + 700) / 2.0, pop.MedianPlays);
        Assert.Equal(10, pop.Top.Count);
        Assert.Equal(5_000_000, pop.Top[0].PlayCount);
        // 0 | 1–9 | 10–99 | … | 10^6–10^7-1
        Assert.Equal([1, 2, 2, 2, 2, 1, 1, 1], pop.Distribution.Select(b => b.Count));
        Assert.Equal(1_000_000, pop.Distribution[^1].From);
    }

    [Fact]
    public async Task History_compares_the_latest_row_with_the_previous_completed_crawl_of_the_category()
    {
        await CrawlAsync("20261110-030000-c001", Now.AddDays(-21), completed: true, Record("说唱", 42, "old name", 1_000, "", Now.AddDays(-21), subscribed: 10));
        await CrawlAsync("20261117-030000-c002", Now.AddDays(-14), completed: true, Record("说唱", 42, "mid", 1_500, "", Now.AddDays(-14), subscribed: 12));
        await CrawlAsync("20261124-030000-c003", Now.AddDays(-7), completed: false, Record("说唱", 42, "unfinished", 1_900, "", Now.AddDays(-7), subscribed: 13));
        await CrawlAsync("20261201-030000-c004", Now, completed: true, Record("说唱", 42, "new name", 2_000, "", Now, subscribed: 9));
        var browser = Browser();

        var result = await browser.HistoryAsync("42", null, default);
        Assert.Equal(200, result.StatusCode);
        var history = Assert.Single(((PlaylistHistory)result.Json!).Categories);
        Assert.Equal("new name", history.Name);
        Assert.Equal(2_000, history.Latest.PlayCount);
        // History is written when a crawl ends: the unfinished crawl in between has no point, and is not the one compared with.
        Assert.Equal(["20261201-030000-c004", "20261117-030000-c002", "20261110-030000-c001"], history.Crawls.Select(c => c.CrawlId));
        Assert.Equal([1_000L, 1_500, 2_000], history.Points.Select(p => p.PlayCount)); // oldest first
        Assert.Equal("20261117-030000-c002", history.Previous!.CrawlId);
        Assert.Equal(new PlaylistChange(500, -3, 14, "20261117-030000-c002"), history.Change);

        await AssertOneLineErrorAsync(await browser.HistoryAsync("43", null, default), 404);
        await AssertOneLineErrorAsync(await browser.HistoryAsync("forty-two", null, default), 400); // not an id: bad input, named
        await AssertOneLineErrorAsync(await browser.HistoryAsync("42", "流行", default), 404);
    }

    [Fact]
    public async Task Parquet_export_is_the_named_or_latest_crawl_as_an_attachment()
    {
        await CrawlAsync("20261120-030000-d001", Now.AddDays(-11), completed: true, Record("说唱", 1, "a", 1, "", Now), Record("说唱", 2, "b", 2, "", Now));
        await CrawlAsync("20261201-030000-d002", Now, completed: true, Record("说唱", 3, "c", 3, "", Now));
        var browser = Browser();

        var latest = await browser.ParquetAsync(null, null, default);
        Assert.Equal(200, latest.StatusCode);
        Assert.Equal("application/vnd.apache.parquet", latest.ContentType);
        Assert.Equal("attachment; filename=playlists.parquet", latest.Headers["Content-Disposition"]);
        var bytes = await BodyBytesAsync(latest);
        Assert.Equal("PAR1"u8.ToArray(), bytes[..4]);
        Assert.Equal("PAR1"u8.ToArray(), bytes[^4..]);
        Assert.Equal(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), latest.Headers["Content-Length"]);

        using var older = new MemoryStream(await BodyBytesAsync(await browser.ParquetAsync("说唱", "20261120-030000-d001", default)));
        var ids = (await Parquet.Serialization.ParquetSerializer.DeserializeAsync<IdRow>(older, null, null, CancellationToken.None)).Data.Select(r => r.playlist_id).ToList();
        Assert.Equal([1L, 2L], ids);

        await AssertOneLineErrorAsync(await browser.ParquetAsync(null, "20990101-000000-none", default), 404);
    }

    private sealed class IdRow
    {
#pragma warning disable IDE1006, CA1707 // the file's column name
        public long playlist_id { get; set; }
#pragma warning restore IDE1006, CA1707
    }

    private static byte[] Png(int width, int height, Rgba32? colour = null)
    {
        using var image = new Image<Rgba32>(width, height, colour ?? new Rgba32(200, 30, 30, 128));
        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }

    /// <summary>A cover as the crawler stores one (with its sha256), or, with <paramref name="crawled"/> false, a blob it did not store.</summary>
    private async Task StoreCoverAsync(long id, byte[] bytes, string contentType, bool crawled = true) =>
        await _covers.ContainerClient.GetBlobClient(CoverStore.BlobName(id)).UploadAsync(BinaryData.FromBytes(bytes),
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = crawled ? new Dictionary<string, string> { [CoverStore.ShaKey] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) } : null,
            });

    [Fact]
    public async Task Covers_are_served_for_crawled_covers_only_with_their_type_an_etag_and_a_day_of_private_caching()
    {
        await CrawlAsync("20261201-030000-e001", Now, completed: true, Record("说唱", 501, "with cover", 1, "", Now, cover: true), Record("说唱", 502, "no cover", 1, "", Now));
        var png = Png(400, 300);
        await StoreCoverAsync(501, png, "image/png");
        await StoreCoverAsync(999, png, "image/png", crawled: false); // a blob the crawler did not store
        var covers = Covers();

        var cover = await covers.GetAsync("501.jpg", null, null, default);
        Assert.Equal(200, cover.StatusCode);
        Assert.Equal("image/png", cover.ContentType); // the stored type, whatever the blob's name says
        Assert.Equal(png, cover.Bytes);
        Assert.Equal("private, max-age=86400", cover.Headers["Cache-Control"]);
        Assert.Equal("nosniff", cover.Headers["X-Content-Type-Options"]);
        Assert.Equal("default-src 'none'", cover.Headers["Content-Security-Policy"]);
        var etag = cover.Headers["ETag"];
        Assert.StartsWith("\"", etag, StringComparison.Ordinal);

        var again = await covers.GetAsync("501.jpg", null, etag, default);
        Assert.Equal(304, again.StatusCode);
        Assert.Null(again.Bytes);
        Assert.Equal(etag, again.Headers["ETag"]);
        Assert.Equal("nosniff", again.Headers["X-Content-Type-Options"]);

        foreach (var bad in new[] { "999.jpg", "abc.jpg", "501.png", "501", "-1.jpg", "0.jpg", "501.thumb.jpg", "..%2F501.jpg", "99999999999999999999.jpg" })
            await AssertOneLineErrorAsync(await covers.GetAsync(bad, null, null, default), 404);
        await AssertOneLineErrorAsync(await covers.GetAsync("502.jpg", null, null, default), 404); // in the dataset, no stored cover
        await AssertOneLineErrorAsync(await covers.GetAsync("501.jpg", "huge", null, default), 400);
    }

    [Fact]
    public async Task A_thumbnail_is_made_once_stored_beside_the_cover_and_served_as_a_small_jpeg()
    {
        await CrawlAsync("20261201-030000-f001", Now, completed: true, Record("说唱", 601, "big cover", 1, "", Now, cover: true));
        await StoreCoverAsync(601, Png(640, 480), "image/png");
        var covers = Covers();
        var thumbBlob = _covers.ContainerClient.GetBlobClient(CoverRoute.ThumbnailBlobName(601));
        Assert.False((await thumbBlob.ExistsAsync()).Value);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => covers.GetAsync("601.jpg", "thumb", null, default)));
        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.All(results, r => Assert.Equal("image/jpeg", r.ContentType));
        var stored = (await thumbBlob.GetPropertiesAsync()).Value;
        Assert.Equal("image/jpeg", stored.ContentType);
        // Four requests at once, one stored thumbnail: every answer is that blob.
        Assert.All(results, r => Assert.Equal(stored.ETag.ToString("H"), r.Headers["ETag"]));
        using (var image = Image.Load(results[0].Bytes!))
        {
            Assert.Equal(160, image.Width);
            Assert.Equal(120, image.Height);
        }

        var later = await covers.GetAsync("601.jpg", "thumb", null, default);
        Assert.Equal(stored.ETag, (await thumbBlob.GetPropertiesAsync()).Value.ETag); // not made again
        Assert.Equal(results[0].Bytes, later.Bytes);
        Assert.Equal(304, (await covers.GetAsync("601.jpg", "thumb", later.Headers["ETag"], default)).StatusCode);
        Assert.Equal(CoverRoute.CacheControl, later.Headers["Cache-Control"]);
        Assert.Equal(("nosniff", "default-src 'none'"), (later.Headers["X-Content-Type-Options"], later.Headers["Content-Security-Policy"]));
    }

    [Fact]
    public async Task A_stored_blob_that_is_not_a_jpeg_png_gif_or_webp_is_never_served()
    {
        await CrawlAsync("20261201-030000-e002", Now, completed: true,
            Record("说唱", 511, "svg", 1, "", Now, cover: true), Record("说唱", 512, "html", 1, "", Now, cover: true), Record("说唱", 513, "png as svg", 1, "", Now, cover: true));
        await StoreCoverAsync(511, "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.domain)</script></svg>"u8.ToArray(), "image/svg+xml");
        await StoreCoverAsync(512, "<html><script>alert(1)</script></html>"u8.ToArray(), "image/jpeg");
        await StoreCoverAsync(513, Png(40, 40), "image/svg+xml");
        var covers = Covers();

        foreach (var id in new[] { 511, 512, 513 })
        {
            foreach (var size in new[] { null, "thumb" })
            {
                var answer = await covers.GetAsync($"{id}.jpg", size, null, default);
                await AssertOneLineErrorAsync(answer, 404);
                Assert.Null(answer.Bytes);
                Assert.Contains("is not served", answer.Error);
            }
        }
        Assert.False((await _covers.ContainerClient.GetBlobClient(CoverRoute.ThumbnailBlobName(513)).ExistsAsync()).Value); // nothing made from it
    }

    [Fact]
    public async Task A_stored_bomb_cover_gets_no_thumbnail_is_not_decoded_and_is_not_read_again()
    {
        // Covers stored before the pixel budget: the Sandbox's bombs, a GIF of 8000×8000 with four frames and a PNG of 7900×7900.
        byte[][] bombs = [CoverBomb.Gif, CoverBomb.Png];
        await CrawlAsync("20261201-030000-f003", Now, completed: true, Record("说唱", 701, "gif bomb", 1, "", Now, cover: true), Record("说唱", 702, "png bomb", 1, "", Now, cover: true));
        await StoreCoverAsync(701, bombs[0], "image/gif");
        await StoreCoverAsync(702, bombs[1], "image/png");
        var covers = Covers();

        using var memory = new PeakMemory();
        for (var load = 0; load < 3; load++) // a gallery loaded three times, four requests at once for each cover
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => covers.GetAsync($"{701 + i % 2}.jpg", "thumb", null, default)));
            foreach (var answer in answers)
            {
                await AssertOneLineErrorAsync(answer, 404);
                Assert.Contains("has no thumbnail: cover is ", answer.Error);
                Assert.Contains("over the 25-megapixel budget", answer.Error);
            }
        }
        var grown = memory.Stop();
        Assert.True(grown < 256L << 20, $"the process grew {grown >> 20} MiB"); // one decoded frame of either is 250 MB

        // Remembered by the cover's sha256: the next request reads its properties only, never the cover.
        foreach (var bomb in bombs)
            Assert.NotNull(_thumbnails.FailureOf(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bomb))));
        Assert.False((await _covers.ContainerClient.GetBlobClient(CoverRoute.ThumbnailBlobName(701)).ExistsAsync()).Value);

        // The cover itself is sent as stored: its bytes, never decoded here.
        var full = await covers.GetAsync("701.jpg", null, null, default);
        Assert.Equal((200, "image/gif"), (full.StatusCode, full.ContentType));
        Assert.Equal(bombs[0], full.Bytes);
    }


    [Fact]
    public async Task A_replaced_cover_gets_a_new_thumbnail_made_from_it_once()
    {
        await CrawlAsync("20261201-030000-f002", Now, completed: true, Record("说唱", 602, "cover replaced", 1, "", Now, cover: true));
        await StoreCoverAsync(602, Png(640, 480, new Rgba32(255, 0, 0)), "image/png");
        var covers = Covers();
        var thumbBlob = _covers.ContainerClient.GetBlobClient(CoverRoute.ThumbnailBlobName(602));
        var red = await covers.GetAsync("602.jpg", "thumb", null, default);
        Assert.True(IsMostly(red.Bytes!, r: true), "the first thumbnail is of the red cover");

        // The next crawl finds the cover at a new source and stores the new image over the old one (a new sha256).
        await StoreCoverAsync(602, Png(640, 480, new Rgba32(0, 0, 255)), "image/png");
        var blue = await covers.GetAsync("602.jpg", "thumb", red.Headers["ETag"], default);
        Assert.Equal(200, blue.StatusCode); // not 304: the browser's copy is of the old cover
        Assert.True(IsMostly(blue.Bytes!, r: false), "the thumbnail after the replacement is of the blue cover");
        Assert.NotEqual(red.Headers["ETag"], blue.Headers["ETag"]);

        var stored = (await thumbBlob.GetPropertiesAsync()).Value.ETag;
        var later = await covers.GetAsync("602.jpg", "thumb", null, default);
        Assert.Equal(stored, (await thumbBlob.GetPropertiesAsync()).Value.ETag); // made once for the new cover, not at every request
        Assert.Equal(blue.Bytes, later.Bytes);
    }

    /// <summary>Whether the middle pixel of a JPEG is mostly red (or, with <paramref name="r"/> false, mostly blue).</summary>
    private static bool IsMostly(byte[] jpeg, bool r)
    {
        using var image = Image.Load<Rgba32>(jpeg);
        var pixel = image[image.Width / 2, image.Height / 2];
        return r ? pixel.R > 200 && pixel.B < 60 : pixel.B > 200 && pixel.R < 60;
    }

    [Fact]
    public async Task The_categories_of_an_id_are_found_by_point_reads()
    {
        var table = _storage.Tables.GetTableClient(PlaylistTable.Name);
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(PlaylistTable.CategoryKey("摇滚"), "777") { ["Category"] = "摇滚", ["PlaylistId"] = 777L, ["Name"] = "x" });
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(PlaylistTable.CategoryKey("R&B/Soul"), "777") { ["Category"] = "R&B/Soul", ["PlaylistId"] = 777L, ["Name"] = "x" });
        Assert.Equal(["摇滚", "R&B/Soul"], await _playlists.CategoriesOfAsync(777, ["摇滚", "华语", "R&B/Soul", "摇滚"], default));
        Assert.Empty(await _playlists.CategoriesOfAsync(778, ["摇滚", "R&B/Soul"], default));
    }
}
