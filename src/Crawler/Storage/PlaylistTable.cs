using Azure;
using Azure.Data.Tables;
using FunctionsCrawler.NetEase;

namespace FunctionsCrawler.Storage;

/// <summary>What one crawl learned about one playlist id, kept so a playlist met again is not fetched again.</summary>
public sealed record ScrapedPlaylist(PlaylistRecord? Record, string? GoneReason);

/// <summary>
/// Table <c>Playlists</c>: one entity per category and playlist id (the dataset), and table
/// <c>CrawlPlaylists</c>: one entity per crawl and playlist id (fetch each id once per crawl).
/// Every write is an upsert, so a redelivered message writes the same row again.
/// </summary>
public sealed class PlaylistTable(StorageClients storage)
{
    public const string Name = "Playlists";
    public const string ScrapedName = "CrawlPlaylists";

    private readonly TableClient _rows = storage.Tables.GetTableClient(Name);
    private readonly TableClient _scraped = storage.Tables.GetTableClient(ScrapedName);

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        await _rows.CreateIfNotExistsAsync(ct);
        await _scraped.CreateIfNotExistsAsync(ct);
    }

    /// <summary>Table keys may not hold '/', '\', '#' or '?', and categories do (<c>R&amp;B/Soul</c>).</summary>
    public static string CategoryKey(string category) => Uri.EscapeDataString(category);

    public Task UpsertAsync(PlaylistRecord record, CancellationToken ct) =>
        _rows.UpsertEntityAsync(record.ToEntity(CategoryKey(record.Category)), TableUpdateMode.Replace, ct);

    public async Task<PlaylistRecord?> GetAsync(string category, long playlistId, CancellationToken ct)
    {
        var row = await _rows.GetEntityIfExistsAsync<TableEntity>(CategoryKey(category), playlistId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: ct);
        return row.HasValue && row.Value is not null ? PlaylistRecord.FromEntity(row.Value) : null;
    }

    /// <summary>Every row of the given categories written by the given crawl, in category then id order.</summary>
    public async IAsyncEnumerable<PlaylistRecord> ReadAsync(string crawlId, IEnumerable<string> categories,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var category in categories)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CategoryKey(category)} and CrawlId eq {crawlId}");
            var rows = new List<PlaylistRecord>();
            await foreach (var e in _rows.QueryAsync<TableEntity>(filter, cancellationToken: ct))
                rows.Add(PlaylistRecord.FromEntity(e));
            foreach (var r in rows.OrderBy(r => r.Detail.Id)) yield return r;
        }
    }

    public async Task<ScrapedPlaylist?> GetScrapedAsync(string crawlId, long playlistId, CancellationToken ct)
    {
        var row = await _scraped.GetEntityIfExistsAsync<TableEntity>(crawlId, playlistId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: ct);
        if (!row.HasValue || row.Value is null) return null;
        var e = row.Value;
        var gone = e.GetString("GoneReason");
        return gone is not null ? new ScrapedPlaylist(null, gone) : new ScrapedPlaylist(PlaylistRecord.FromEntity(e), null);
    }

    public Task SaveScrapedAsync(string crawlId, PlaylistRecord record, CancellationToken ct) =>
        _scraped.UpsertEntityAsync(record.ToEntity(crawlId), TableUpdateMode.Replace, ct);

    public Task SaveGoneAsync(string crawlId, long playlistId, string reason, CancellationToken ct) =>
        _scraped.UpsertEntityAsync(new TableEntity(crawlId, playlistId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            ["GoneReason"] = reason,
        }, TableUpdateMode.Replace, ct);
}
