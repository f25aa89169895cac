using System.Text.Json.Serialization;
using FunctionsCrawler.NetEase;
using Parquet.Serialization.Attributes;

namespace FunctionsCrawler.Export;

/// <summary>
/// <c>playlist_tracks.parquet</c>: the CSV's columns typed — int64 ids, int32 position, <c>added_at</c> a UTC timestamp
/// (milliseconds, null when unknown) — in row groups, so the memberships of a whole-site crawl are never held whole.
/// </summary>
public static class PlaylistTracksParquet
{
    private const int RowGroupSize = 100_000;

    public static Task WriteAsync(Stream output, IAsyncEnumerable<PlaylistTrackList> lists, CancellationToken ct) =>
        ParquetRowGroups.WriteAsync(output, Rows(lists, ct), Row.From, RowGroupSize, ct);

    private static async IAsyncEnumerable<(long PlaylistId, PlaylistTrack Track)> Rows(IAsyncEnumerable<PlaylistTrackList> lists,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var list in lists.WithCancellation(ct))
            foreach (var track in list.Tracks)
                yield return (list.PlaylistId, track);
    }

    /// <summary>One row, with the column names and types of the file.</summary>
    internal sealed class Row
    {
        [JsonPropertyName("playlist_id")] public long PlaylistId { get; set; }
        [JsonPropertyName("position")] public int Position { get; set; }
        [JsonPropertyName("track_id")] public long TrackId { get; set; }
        [JsonPropertyName("added_at"), ParquetTimestamp(ParquetTimestampResolution.Milliseconds, true, true)] public DateTime? AddedAt { get; set; }

        public static Row From((long PlaylistId, PlaylistTrack Track) r) => new()
        {
            PlaylistId = r.PlaylistId,
            Position = r.Track.Position,
            TrackId = r.Track.TrackId,
            AddedAt = r.Track.AddedAt?.UtcDateTime,
        };
    }
}
