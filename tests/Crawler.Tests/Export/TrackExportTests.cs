using System.Text;
using CsvHelper;
using FunctionsCrawler.Export;
using FunctionsCrawler.NetEase;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using Xunit;

namespace FunctionsCrawler.Tests.Export;

/// <summary>The track exports' files: <c>playlist_tracks</c> and <c>tracks</c>, as CSV and Parquet.</summary>
public sealed class TrackExportTests
{
    private static readonly DateTimeOffset Added = new(2025, 6, 1, 12, 30, 15, 250, TimeSpan.Zero);
    private const string Formula = "=HYPERLINK(\"http://evil.example\",\"click\")";

    private static readonly PlaylistTrackList[] Lists =
    [
        new(5_000_000_001, [new(9_000_000_000_123, 0, Added), new(2, 1, null), new(3, 2, Added.AddDays(1))]),
        new(5_000_000_002, [new(3, 0, null)]),
    ];

    private static readonly Song[] Songs =
    [
        new(2, Formula, [7_000_000_001, 0], ["+1 rapper", "@someone"], 8_000_000_001, "-album", 215_000),
        new(3, "夜曲", [6452], ["周杰伦"], null, null, null),
    ];

    private static async Task<MemoryStream> WriteAsync(Func<Stream, Task> write)
    {
        var stream = new MemoryStream();
        await write(stream);
        stream.Position = 0;
        return stream;
    }

    private static List<string[]> ReadCsv(byte[] bytes, int columns)
    {
        using var reader = CsvReader.Create(bytes, CsvReaderOptions.Default with { HasHeader = false });
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add(Enumerable.Range(0, columns).Select(reader.GetString).ToArray());
        return rows;
    }

    [Fact]
    public async Task Playlist_tracks_parquet_has_int64_ids_the_position_and_a_utc_timestamp_null_when_unknown()
    {
        using var stream = await WriteAsync(s => PlaylistTracksParquet.WriteAsync(s, Lists.ToAsyncEnumerable(), CancellationToken.None));
        await using (var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true))
        {
            Assert.Equal(PlaylistTracksCsv.Header, reader.Schema.Fields.Select(f => f.Name));
            var fields = reader.Schema.Fields.ToDictionary(f => f.Name);
            foreach (var name in new[] { "playlist_id", "track_id" })
            {
                var id = Assert.IsType<DataField>(fields[name], exactMatch: false);
                Assert.Equal(typeof(long), id.ClrType);
                Assert.False(id.IsNullable);
            }
            Assert.Equal(typeof(int), ((DataField)fields["position"]).ClrType);
            var added = Assert.IsType<DateTimeDataField>(fields["added_at"]);
            Assert.True(added.IsAdjustedToUTC);
            Assert.True(added.IsNullable);
        }
        stream.Position = 0;
        var rows = (await ParquetSerializer.DeserializeAsync<PlaylistTracksParquet.Row>(stream, null, null, CancellationToken.None)).Data.ToList();
        Assert.Equal([(5_000_000_001L, 0, 9_000_000_000_123L), (5_000_000_001, 1, 2), (5_000_000_001, 2, 3), (5_000_000_002, 0, 3)],
            rows.Select(r => (r.PlaylistId, r.Position, r.TrackId)));
        Assert.Equal(Added.UtcDateTime, rows[0].AddedAt);
        Assert.Null(rows[1].AddedAt);
    }

    [Fact]
    public async Task Playlist_tracks_csv_has_a_bom_the_header_iso_times_and_an_empty_unknown_time()
    {
        using var stream = await WriteAsync(s => PlaylistTracksCsv.WriteAsync(s, Lists.ToAsyncEnumerable(), CancellationToken.None));
        var bytes = stream.ToArray();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        Assert.StartsWith("playlist_id,position,track_id,added_at\r\n", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
        var rows = ReadCsv(bytes, 4);
        Assert.Equal(["5000000001", "0", "9000000000123", "2025-06-01T12:30:15Z"], rows[1]);
        Assert.Equal(["5000000001", "1", "2", ""], rows[2]);
        Assert.Equal(["5000000002", "0", "3", ""], rows[4]);
        Assert.Equal(5, rows.Count);
    }

    [Fact]
    public async Task Tracks_parquet_has_int64_ids_the_artists_as_lists_and_raw_text()
    {
        using var stream = await WriteAsync(s => TracksParquet.WriteAsync(s, Songs.ToAsyncEnumerable(), CancellationToken.None));
        await using (var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true))
        {
            Assert.Equal(TracksCsv.Header, reader.Schema.Fields.Select(f => f.Name));
            var fields = reader.Schema.Fields.ToDictionary(f => f.Name);
            Assert.Equal(typeof(long), Assert.IsType<DataField>(fields["track_id"], exactMatch: false).ClrType);
            foreach (var name in new[] { "album_id", "duration_ms" })
            {
                var field = Assert.IsType<DataField>(fields[name], exactMatch: false);
                Assert.Equal(typeof(long), field.ClrType);
                Assert.True(field.IsNullable);
            }
            Assert.Equal(typeof(long), Assert.IsType<DataField>(Assert.IsType<ListField>(fields["artist_ids"]).Item, exactMatch: false).ClrType);
            // Parquet.Net reads a UTF-8 list element as text (string, or ReadOnlyMemory<char> in its column form).
            Assert.Contains(Assert.IsType<DataField>(Assert.IsType<ListField>(fields["artist_names"]).Item, exactMatch: false).ClrType,
                new[] { typeof(string), typeof(ReadOnlyMemory<char>) });
        }
        stream.Position = 0;
        var rows = (await ParquetSerializer.DeserializeAsync<TracksParquet.Row>(stream, null, null, CancellationToken.None)).Data.ToList();
        Assert.Equal(Formula, rows[0].Name); // no formula guard: Parquet keeps raw text
        Assert.Equal([7_000_000_001L, 0], rows[0].ArtistIds);
        Assert.Equal(["+1 rapper", "@someone"], rows[0].ArtistNames);
        Assert.Equal(8_000_000_001, rows[0].AlbumId);
        Assert.Equal(215_000, rows[0].DurationMs);
        Assert.Null(rows[1].AlbumId);
        Assert.Null(rows[1].AlbumName);
        Assert.Null(rows[1].DurationMs);
        Assert.Equal(["周杰伦"], rows[1].ArtistNames);
    }

    [Fact]
    public async Task Tracks_csv_joins_the_artists_with_semicolons_and_guards_text_as_playlists_csv_does()
    {
        using var stream = await WriteAsync(s => TracksCsv.WriteAsync(s, Songs.ToAsyncEnumerable(), CancellationToken.None));
        var bytes = stream.ToArray();
        Assert.StartsWith("track_id,name,artist_ids,artist_names,album_id,album_name,duration_ms\r\n", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
        var rows = ReadCsv(bytes, 7);
        Assert.Equal(["2", "'" + Formula, "7000000001;0", "'+1 rapper;@someone", "8000000001", "'-album", "215000"], rows[1]);
        Assert.Equal(["3", "夜曲", "6452", "周杰伦", "", "", ""], rows[2]);
    }

    [Fact]
    public async Task Empty_track_exports_are_still_files_with_their_columns()
    {
        using var lists = await WriteAsync(s => PlaylistTracksParquet.WriteAsync(s, AsyncEnumerable.Empty<PlaylistTrackList>(), CancellationToken.None));
        await using (var reader = await ParquetReader.CreateAsync(lists))
            Assert.Equal(PlaylistTracksCsv.Header, reader.Schema.Fields.Select(f => f.Name));
        using var songs = await WriteAsync(s => TracksParquet.WriteAsync(s, AsyncEnumerable.Empty<Song>(), CancellationToken.None));
        await using (var reader = await ParquetReader.CreateAsync(songs))
            Assert.Equal(TracksCsv.Header, reader.Schema.Fields.Select(f => f.Name));
        using var csv = await WriteAsync(s => TracksCsv.WriteAsync(s, AsyncEnumerable.Empty<Song>(), CancellationToken.None));
        Assert.Equal("track_id,name,artist_ids,artist_names,album_id,album_name,duration_ms\r\n", Encoding.UTF8.GetString(csv.ToArray()[3..]));
    }

    [Fact]
    public async Task One_read_feeds_every_writer_and_a_failing_writer_stops_the_read()
    {
        var read = 0;
        async IAsyncEnumerable<int> Source(int count)
        {
            for (var i = 0; i < count; i++)
            {
                read++;
                await Task.Yield();
                yield return i;
            }
        }

        var seen = new List<int>[] { [], [] };
        await Fanout.WriteAsync(Source(1_000),
        [
            async (rows, ct) => { await foreach (var r in rows.WithCancellation(ct)) seen[0].Add(r); },
            async (rows, ct) => { await foreach (var r in rows.WithCancellation(ct)) seen[1].Add(r); },
        ], CancellationToken.None);
        Assert.Equal(1_000, read);
        Assert.Equal(Enumerable.Range(0, 1_000), seen[0]);
        Assert.Equal(seen[0], seen[1]);

        read = 0;
        var error = await Assert.ThrowsAsync<IOException>(() => Fanout.WriteAsync(Source(1_000_000),
        [
            async (rows, ct) => { await foreach (var r in rows.WithCancellation(ct)) if (r == 10) throw new IOException("disk full"); },
            async (rows, ct) => { await foreach (var _ in rows.WithCancellation(ct)) { } },
        ], CancellationToken.None));
        Assert.Equal("disk full", error.Message);
        Assert.True(read < 1_000, $"the read went on to {read} rows after the writer failed");
    }
}
