using System.Text.Json.Serialization;
using FunctionsCrawler.NetEase;

namespace FunctionsCrawler.Export;

/// <summary>
/// <c>tracks.parquet</c>: the CSV's columns typed — int64 ids and duration, the artists' ids and names as lists (in step),
/// raw text (no formula guard) — in row groups.
/// </summary>
public static class TracksParquet
{
    private const int RowGroupSize = 50_000;

    public static Task WriteAsync(Stream output, IAsyncEnumerable<Song> songs, CancellationToken ct) =>
        ParquetRowGroups.WriteAsync(output, songs, Row.From, RowGroupSize, ct);

    /// <summary>One row, with the column names and types of the file.</summary>
    internal sealed class Row
    {
        [JsonPropertyName("track_id")] public long TrackId { get; set; }
        [JsonPropertyName("name")] public string Name { get; set; } = "";
        [JsonPropertyName("artist_ids")] public List<long> ArtistIds { get; set; } = [];
        [JsonPropertyName("artist_names")] public List<string> ArtistNames { get; set; } = [];
        [JsonPropertyName("album_id")] public long? AlbumId { get; set; }
        [JsonPropertyName("album_name")] public string? AlbumName { get; set; }
        [JsonPropertyName("duration_ms")] public long? DurationMs { get; set; }

        public static Row From(Song s) => new()
        {
            TrackId = s.Id,
            Name = s.Name,
            ArtistIds = [.. s.ArtistIds],
            ArtistNames = [.. s.ArtistNames],
            AlbumId = s.AlbumId,
            AlbumName = s.AlbumName,
            DurationMs = s.DurationMs,
        };
    }
}
