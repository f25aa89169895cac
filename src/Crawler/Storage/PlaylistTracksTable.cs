using System.Buffers.Binary;
using System.Globalization;
using Azure.Data.Tables;
using FunctionsCrawler.NetEase;

namespace FunctionsCrawler.Storage;

/// <summary>
/// Where a playlist row finds its track list: the <see cref="PlaylistTracksTable"/> row <see cref="Key"/> of the playlist,
/// how many tracks it lists (<c>tracks_listed</c>, beside <c>track_count</c>), when the site says the list last changed,
/// and, when the list and the count are further apart than the site's lag, why (the list is kept, flagged).
/// </summary>
public sealed record TrackListRef(string Key, int Listed, DateTimeOffset? UpdatedAt, string? Flag = null);

/// <summary>
/// Table <c>PlaylistTracks</c>: every version of every playlist's track list, in order, with when each track was added.
/// Partition = the playlist id, RowKey = the version (<see cref="KeyOf"/>): the list's <c>trackUpdateTime</c> when the site
/// gives one, so crawls that see the same list share one row and a changed list gets a new one; each crawl's playlist
/// rows name the version they saw (<see cref="TrackListRef"/>), so two days' exports show what was added and removed.
/// A list is one entity (one transaction): its tracks packed 16 bytes each (id, added ms) into binary columns of up to
/// 64 KiB, so the longest list the crawl accepts (10,000 tracks) is three columns.
/// </summary>
public sealed class PlaylistTracksTable(StorageClients storage)
{
    public const string Name = "PlaylistTracks";

    private const int BytesPerTrack = 16;
    /// <summary>Tracks per binary column: Table storage caps a binary property at 64 KiB.</summary>
    private const int TracksPerColumn = 64 * 1024 / BytesPerTrack;
    /// <summary>Written for a track whose added time the site did not give.</summary>
    private const long NoTime = long.MinValue;

    private readonly TableClient _table = storage.Tables.GetTableClient(Name);

    public Task EnsureCreatedAsync(CancellationToken ct) => _table.CreateIfNotExistsAsync(ct);

    /// <summary>The version key of a list: <c>t</c> + its <c>trackUpdateTime</c> in ms (15 digits), or <c>c</c> + the crawl id when the site gave none.</summary>
    public static string KeyOf(PlaylistTracks tracks, string crawlId) =>
        tracks.TracksUpdatedAt is { } at && at.ToUnixTimeMilliseconds() >= 0
            ? "t" + at.ToUnixTimeMilliseconds().ToString("D15", CultureInfo.InvariantCulture)
            : "c" + crawlId;

    /// <summary>Stores one list (replacing the same version) and returns the reference a playlist row keeps.</summary>
    public async Task<TrackListRef> SaveAsync(PlaylistTracks tracks, string crawlId, string? flag, CancellationToken ct)
    {
        var key = KeyOf(tracks, crawlId);
        var entity = new TableEntity(PartitionOf(tracks.PlaylistId), key)
        {
            ["Listed"] = tracks.Tracks.Count,
            ["TrackCount"] = tracks.TrackCount,
            ["UpdatedAt"] = tracks.TracksUpdatedAt,
            ["Flag"] = flag,
        };
        var columns = 0;
        foreach (var chunk in tracks.Tracks.Chunk(TracksPerColumn))
        {
            var bytes = new byte[chunk.Length * BytesPerTrack];
            for (var i = 0; i < chunk.Length; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * BytesPerTrack), chunk[i].TrackId);
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * BytesPerTrack + 8), chunk[i].AddedAt?.ToUnixTimeMilliseconds() ?? NoTime);
            }
            entity["T" + columns++.ToString(CultureInfo.InvariantCulture)] = bytes;
        }
        entity["Columns"] = columns;
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
        return new TrackListRef(key, tracks.Tracks.Count, tracks.TracksUpdatedAt, flag);
    }

    /// <summary>One version of a playlist's list, in order; null when it is not stored (deleted by the clean-up, or never written).</summary>
    public async Task<IReadOnlyList<PlaylistTrack>?> ReadAsync(long playlistId, string key, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(playlistId), key, cancellationToken: ct);
        if (!row.HasValue || row.Value is null) return null;
        var e = row.Value;
        var tracks = new List<PlaylistTrack>(e.GetInt32("Listed") ?? 0);
        for (var c = 0; c < (e.GetInt32("Columns") ?? 0); c++)
        {
            var bytes = e.GetBinary("T" + c.ToString(CultureInfo.InvariantCulture)) ?? [];
            for (var i = 0; i + BytesPerTrack <= bytes.Length; i += BytesPerTrack)
            {
                var added = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i + 8));
                tracks.Add(new PlaylistTrack(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i)), tracks.Count,
                    added == NoTime ? null : DateTimeOffset.FromUnixTimeMilliseconds(added)));
            }
        }
        return tracks;
    }

    private static string PartitionOf(long playlistId) => playlistId.ToString(CultureInfo.InvariantCulture);
}
