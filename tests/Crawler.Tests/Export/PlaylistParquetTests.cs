using FunctionsCrawler.Export;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace FunctionsCrawler.Tests.Export;

public sealed class PlaylistParquetTests
{
    private static readonly DateTimeOffset Crawled = new(2026, 12, 1, 8, 30, 15, 250, TimeSpan.Zero);

    private static PlaylistRecord Record(long id, string category = "说唱") => new()
    {
        Category = category,
        CrawlId = "c1",
        CrawledAt = Crawled,
        Cover = id % 2 == 0 ? new StoredCover($"covers/{id}.jpg", 12345, "ab12") : null,
        Tracks = id % 2 == 0 ? new TrackListRef("t000001700000000000", 11, null) : null,
        Detail = new PlaylistDetail
        {
            Id = id, Name = "=HYPERLINK(\"x\") 歌单 😀", CreatorId = 5_000_000_000, CreatorNickname = "昵称",
            Description = "第一行\n第二行", TrackCount = 12, PlayCount = 9_876_543_210, SubscribedCount = 3, ShareCount = 0, CommentCount = 7,
            Tags = ["华语", "R&B/Soul"], CreatedAt = new DateTimeOffset(2016, 3, 17, 4, 57, 22, TimeSpan.Zero),
            CoverUrl = $"http://p1.music.126.net/a==/{id}.jpg",
        },
    };

    private static async Task<MemoryStream> WriteAsync(IEnumerable<PlaylistRecord> records)
    {
        var stream = new MemoryStream();
        await PlaylistParquet.WriteAsync(stream, records.ToAsyncEnumerable(), CancellationToken.None);
        stream.Position = 0;
        return stream;
    }

    [Fact]
    public async Task Columns_are_typed_for_pandas_and_DuckDB()
    {
        using var stream = await WriteAsync([Record(2)]);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.Fields.ToDictionary(f => f.Name);
        Assert.Equal(PlaylistCsv.Header, reader.Schema.Fields.Select(f => f.Name));
        foreach (var name in new[] { "playlist_id", "track_count", "play_count", "subscribed_count", "share_count", "comment_count" })
            Assert.Equal(typeof(long), Assert.IsType<DataField>(fields[name], exactMatch: false).ClrType);
        foreach (var name in new[] { "creator_id", "tracks_listed" })
        {
            Assert.Equal(typeof(long), ((DataField)fields[name]).ClrType);
            Assert.True(((DataField)fields[name]).IsNullable);
        }
        var created = Assert.IsType<DateTimeDataField>(fields["created_at"]);
        Assert.True(created.IsAdjustedToUTC);
        var tags = Assert.IsType<ListField>(fields["tags"]);
        // Parquet.Net reads a UTF-8 list element as text (string, or ReadOnlyMemory<char> in its column form).
        Assert.Contains(Assert.IsType<DataField>(tags.Item, exactMatch: false).ClrType, new[] { typeof(string), typeof(ReadOnlyMemory<char>) });
    }

    [Fact]
    public async Task Values_come_back_exactly_raw_text_included()
    {
        using var stream = await WriteAsync([Record(2), Record(3, "华语")]);
        var result = await Parquet.Serialization.ParquetSerializer.DeserializeAsync<PlaylistParquet.Row>(stream, null, null, CancellationToken.None);
        var rows = result.Data.ToList();
        Assert.Equal(2, rows.Count);
        var row = rows[0];
        Assert.Equal(2, row.PlaylistId);
        Assert.Equal("=HYPERLINK(\"x\") 歌单 😀", row.Name); // no formula guard: Parquet keeps raw text
        Assert.Equal("第一行\n第二行", row.Description);
        Assert.Equal(9_876_543_210, row.PlayCount);
        Assert.Equal(5_000_000_000, row.CreatorId);
        Assert.Equal(["华语", "R&B/Soul"], row.Tags);
        Assert.Equal(new DateTime(2016, 3, 17, 4, 57, 22, DateTimeKind.Utc), row.CreatedAt);
        Assert.Equal(Crawled.UtcDateTime, row.CrawledAt);
        Assert.Equal(12345, row.CoverBytes);
        Assert.Equal(11, row.TracksListed);
        Assert.Null(rows[1].CoverBlob);
        Assert.Null(rows[1].TracksListed);
        Assert.Equal("华语", rows[1].Category);
    }

    [Fact]
    public async Task A_large_export_is_written_in_row_groups_and_an_empty_one_is_still_a_file()
    {
        using var stream = await WriteAsync(Enumerable.Range(0, 25_000).Select(i => Record(i)));
        await using (var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true))
            Assert.Equal(3, reader.RowGroupCount);
        using var empty = await WriteAsync([]);
        await using var emptyReader = await ParquetReader.CreateAsync(empty);
        Assert.Equal(PlaylistCsv.Header.Length, emptyReader.Schema.Fields.Count);
    }
}
