using Azure.Data.Tables;

namespace FunctionsCrawler.Storage;

/// <summary>What a crawl learned about one playlist id: its record (without a category), or why it is gone.</summary>
public sealed record ScrapedPlaylist(PlaylistRecord? Record, string? GoneReason);

/// <summary>
/// Table <c>Playlists</c>: the dataset's latest view, one entity per category and playlist id, from whichever
/// crawl saw it last. Each crawl's own rows (its snapshot, what its export holds) are in <see cref="CrawlItemTable"/>.
/// </summary>
public sealed class PlaylistTable(StorageClients storage)
{
    public const string Name = "Playlists";

    private readonly TableClient _rows = storage.Tables.GetTableClient(Name);

    public Task EnsureCreatedAsync(CancellationToken ct) => _rows.CreateIfNotExistsAsync(ct);

    /// <summary>Table keys may not hold '/', '\', '#' or '?', and categories do (<c>R&amp;B/Soul</c>).</summary>
    public static string CategoryKey(string category) => Uri.EscapeDataString(category);

    public Task UpsertAsync(PlaylistRecord record, CancellationToken ct) =>
        _rows.UpsertEntityAsync(record.ToEntity(CategoryKey(record.Category)), TableUpdateMode.Replace, ct);

    public async Task<PlaylistRecord?> GetAsync(string category, long playlistId, CancellationToken ct)
    {
        var row = await _rows.GetEntityIfExistsAsync<TableEntity>(CategoryKey(category), playlistId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: ct);
        return row.HasValue && row.Value is not null ? PlaylistRecord.FromEntity(row.Value) : null;
    }
}
