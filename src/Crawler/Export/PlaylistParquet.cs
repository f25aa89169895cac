using System.Text.Json.Serialization;
using FunctionsCrawler.Storage;
using Parquet;
using Parquet.Serialization;
using Parquet.Serialization.Attributes;

namespace FunctionsCrawler.Export;

/// <summary>
/// <c>playlists.parquet</c>: the CSV's columns, typed for pandas, DuckDB and Spark — int64 ids and counts (<c>tracks_listed</c>
/// null without a stored list), UTC timestamps (milliseconds), tags as a list of strings, and the raw text (no formula guard:
/// Parquet is not opened by spreadsheets as text). Written in row groups, so a large crawl is never held whole.
/// </summary>
public static class PlaylistParquet
{
    private const int RowGroupSize = 10_000;

    public static Task WriteAsync(Stream output, IAsyncEnumerable<PlaylistRecord> records, CancellationToken ct) =>
        ParquetRowGroups.WriteAsync(output, records, Row.From, RowGroupSize, ct);

    /// <summary>One row, with the column names and types of the file.</summary>
    internal sealed class Row
    {
        [JsonPropertyName("playlist_id")] public long PlaylistId { get; set; }
        [JsonPropertyName("category")] public string Category { get; set; } = "";
        [JsonPropertyName("name")] public string Name { get; set; } = "";
        [JsonPropertyName("creator_id")] public long? CreatorId { get; set; }
        [JsonPropertyName("creator_nickname")] public string? CreatorNickname { get; set; }
        [JsonPropertyName("description")] public string Description { get; set; } = "";
        [JsonPropertyName("track_count")] public long TrackCount { get; set; }
        [JsonPropertyName("tracks_listed")] public long? TracksListed { get; set; }
        [JsonPropertyName("play_count")] public long PlayCount { get; set; }
        [JsonPropertyName("subscribed_count")] public long SubscribedCount { get; set; }
        [JsonPropertyName("share_count")] public long ShareCount { get; set; }
        [JsonPropertyName("comment_count")] public long CommentCount { get; set; }
        [JsonPropertyName("tags")] public List<string> Tags { get; set; } = [];
        [JsonPropertyName("created_at"), ParquetTimestamp(ParquetTimestampResolution.Milliseconds, true, true)] public DateTime? CreatedAt { get; set; }
        [JsonPropertyName("cover_url")] public string? CoverUrl { get; set; }
        [JsonPropertyName("cover_blob")] public string? CoverBlob { get; set; }
        [JsonPropertyName("cover_bytes")] public long? CoverBytes { get; set; }
        [JsonPropertyName("cover_sha256")] public string? CoverSha256 { get; set; }
        [JsonPropertyName("crawled_at"), ParquetTimestamp(ParquetTimestampResolution.Milliseconds, true, true)] public DateTime CrawledAt { get; set; }

        public static Row From(PlaylistRecord r) => new()
        {
            PlaylistId = r.Detail.Id,
            Category = r.Category,
            Name = r.Detail.Name,
            CreatorId = r.Detail.CreatorId,
            CreatorNickname = r.Detail.CreatorNickname,
            Description = r.Detail.Description,
            TrackCount = r.Detail.TrackCount,
            TracksListed = r.Tracks?.Listed,
            PlayCount = r.Detail.PlayCount,
            SubscribedCount = r.Detail.SubscribedCount,
            ShareCount = r.Detail.ShareCount,
            CommentCount = r.Detail.CommentCount,
            Tags = [.. r.Detail.Tags],
            CreatedAt = r.Detail.CreatedAt?.UtcDateTime,
            CoverUrl = r.Detail.CoverUrl,
            CoverBlob = r.Cover?.Blob,
            CoverBytes = r.Cover?.Bytes,
            CoverSha256 = r.Cover?.Sha256,
            CrawledAt = DateTime.SpecifyKind(r.CrawledAt.UtcDateTime, DateTimeKind.Utc),
        };
    }
}
