using System.Text;
using CsvHelper;
using FunctionsCrawler.Export;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Xunit;

namespace FunctionsCrawler.Tests.Export;

public sealed class PlaylistCsvTests
{
    private static PlaylistRecord Record(string name, string description = "", string nickname = "nick") => new()
    {
        Category = "R&B/Soul",
        CrawlId = "c1",
        CrawledAt = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero),
        Cover = new StoredCover("covers/1.jpg", 1234, "ab"),
        Detail = new PlaylistDetail
        {
            Id = 5_000_000_000, Name = name, CreatorId = 42, CreatorNickname = nickname, Description = description,
            TrackCount = 3, PlayCount = 3_000_000_000, Tags = ["华语", "流行"],
            CreatedAt = new DateTimeOffset(2016, 3, 17, 4, 57, 22, TimeSpan.Zero), CoverUrl = "http://p1.music.126.net/x.jpg",
        },
    };

    private static async Task<(byte[] Bytes, List<string[]> Rows)> WriteAsync(params PlaylistRecord[] records)
    {
        using var stream = new MemoryStream();
        await PlaylistCsv.WriteAsync(stream, records.ToAsyncEnumerable(), CancellationToken.None);
        var bytes = stream.ToArray();
        using var reader = CsvReader.Create(bytes, CsvReaderOptions.Default with { HasHeader = false });
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add(Enumerable.Range(0, PlaylistCsv.Header.Length).Select(reader.GetString).ToArray());
        return (bytes, rows);
    }

    [Fact]
    public async Task Csv_has_a_bom_the_exact_header_and_crlf_rows()
    {
        var (bytes, rows) = await WriteAsync(Record("夏日"));
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("playlist_id,category,name,creator_id,creator_nickname,description,track_count,tracks_listed,play_count,subscribed_count,share_count,comment_count,tags,created_at,cover_url,cover_blob,cover_bytes,cover_sha256,crawled_at\r\n", text);
        Assert.Equal(["5000000000", "R&B/Soul", "夏日", "42", "nick", "", "3", "", "3000000000", "0", "0", "0", "华语;流行",
            "2016-03-17T04:57:22Z", "http://p1.music.126.net/x.jpg", "covers/1.jpg", "1234", "ab", "2026-11-27T08:00:00Z"], rows[1]);
    }

    [Fact]
    public async Task Tracks_listed_follows_track_count_when_the_row_names_a_stored_list()
    {
        var (_, rows) = await WriteAsync(Record("夏日") with { Tracks = new TrackListRef("t000001700000000000", 2, null) });
        Assert.Equal(("3", "2", "3000000000"), (rows[1][6], rows[1][7], rows[1][8]));

        using var stream = new MemoryStream();
        await PlaylistJsonl.WriteAsync(stream, new[] { Record("a") with { Tracks = new TrackListRef("k", 2, null) }, Record("b") }.ToAsyncEnumerable(), CancellationToken.None);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).TrimEnd('\n').Split('\n');
        using var listed = System.Text.Json.JsonDocument.Parse(lines[0]);
        Assert.Equal(2, listed.RootElement.GetProperty("tracks_listed").GetInt32());
        Assert.Equal(["track_count", "tracks_listed", "play_count"], listed.RootElement.EnumerateObject().Select(p => p.Name).Skip(6).Take(3));
        using var unknown = System.Text.Json.JsonDocument.Parse(lines[1]);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, unknown.RootElement.GetProperty("tracks_listed").ValueKind);
    }

    [Fact]
    public async Task Commas_quotes_and_line_breaks_round_trip_through_rfc4180_quoting()
    {
        var (_, rows) = await WriteAsync(Record("a, \"b\"", "line one\nline two\r\nthree"));
        Assert.Equal("a, \"b\"", rows[1][2]);
        Assert.Equal("line one\nline two\r\nthree", rows[1][5]);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1")]
    [InlineData("-2")]
    [InlineData("@SUM(1)")]
    [InlineData("\tx")]
    [InlineData("\rx")]
    public async Task A_cell_that_starts_like_a_formula_gets_a_leading_apostrophe(string hostile)
    {
        var (_, rows) = await WriteAsync(Record(hostile, hostile, hostile));
        Assert.Equal("'" + hostile, rows[1][2]);
        Assert.Equal("'" + hostile, rows[1][4]);
        Assert.Equal("'" + hostile, rows[1][5]);
    }

    [Fact]
    public async Task Jsonl_keeps_the_raw_text()
    {
        using var stream = new MemoryStream();
        await PlaylistJsonl.WriteAsync(stream, new[] { Record("=1+1", "a\nb") }.ToAsyncEnumerable(), CancellationToken.None);
        var line = Encoding.UTF8.GetString(stream.ToArray()).TrimEnd('\n');
        using var doc = System.Text.Json.JsonDocument.Parse(line);
        Assert.Equal("=1+1", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal("a\nb", doc.RootElement.GetProperty("description").GetString());
        Assert.Equal(5_000_000_000, doc.RootElement.GetProperty("playlist_id").GetInt64());
        Assert.Equal(2, doc.RootElement.GetProperty("tags").GetArrayLength());
    }
}
