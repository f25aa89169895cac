using System.Text.Json.Serialization;
using FunctionsCrawler.Storage;
using Parquet;
using Parquet.Serialization;
using Parquet.Serialization.Attributes;

namespace FunctionsCrawler.Export;

/// <summary>
/// <c>playlist_history.parquet</c>: the history CSV's columns typed as <c>playlists.parquet</c> types them — int64 ids and
/// counts, <c>crawled_at</c> a UTC timestamp (milliseconds), raw text — in row groups, so a year is never held whole.
/// </summary>
public static class PlaylistHistoryParquet
{
    private const int RowGroupSize = 50_000;

    public static Task WriteAsync(Stream output, IAsyncEnumerable<HistoryRow> rows, CancellationToken ct) =>
        ParquetRowGroups.WriteAsync(output, rows, Row.From, RowGroupSize, ct);

    /// <summary>One row, with the column names and types of the file.</summary>
    internal sealed class Row
    {
        [JsonPropertyName("playlist_id")] public long PlaylistId { get; set; }
        [JsonPropertyName("category")] public string Category { get; set; } = "";
        [JsonPropertyName("crawled_at"), ParquetTimestamp(ParquetTimestampResolution.Milliseconds, true, true)] public DateTime CrawledAt { get; set; }
        [JsonPropertyName("play_count")] public long PlayCount { get; set; }
        [JsonPropertyName("subscribed_count")] public long SubscribedCount { get; set; }
        [JsonPropertyName("share_count")] public long ShareCount { get; set; }
        [JsonPropertyName("comment_count")] public long CommentCount { get; set; }
        [JsonPropertyName("track_count")] public long TrackCount { get; set; }

        public static Row From(HistoryRow r) => new()
        {
            PlaylistId = r.PlaylistId,
            Category = r.Category,
            CrawledAt = DateTime.SpecifyKind(r.CrawledAt.UtcDateTime, DateTimeKind.Utc),
            PlayCount = r.PlayCount,
            SubscribedCount = r.SubscribedCount,
            ShareCount = r.ShareCount,
            CommentCount = r.CommentCount,
            TrackCount = r.TrackCount,
        };
    }
}
