using System.Globalization;
using Azure.Data.Tables;

namespace FunctionsCrawler.Storage;

/// <summary>What a crawl learned about one playlist id: its record (without a category), or why it is gone.</summary>
public sealed record ScrapedPlaylist(PlaylistRecord? Record, string? GoneReason);

/// <summary>
/// Table <c>Playlists</c>: the dataset's latest view, one entity per category and playlist id, from whichever
/// crawl saw it last. Each crawl's own rows (its snapshot, what its export holds) are in <see cref="CrawlItemTable"/>.
/// Beside the category partitions, partition <see cref="IdIndex"/> holds one small row per (playlist id, category),
/// RowKey <c>&lt;id, 20 digits&gt;|&lt;category key&gt;</c>: which categories know an id is then one range read, not a table scan.
/// </summary>
public sealed class PlaylistTable(StorageClients storage)
{
    public const string Name = "Playlists";
    /// <summary>The id index's partition: '!' is always escaped by <see cref="CategoryKey"/>, so no category's key is this.</summary>
    public const string IdIndex = "!ids";

    private readonly TableClient _rows = storage.Tables.GetTableClient(Name);

    public Task EnsureCreatedAsync(CancellationToken ct) => _rows.CreateIfNotExistsAsync(ct);

    /// <summary>Table keys may not hold '/', '\', '#' or '?', and categories do (<c>R&amp;B/Soul</c>).</summary>
    public static string CategoryKey(string category) => Uri.EscapeDataString(category);

    public async Task UpsertAsync(PlaylistRecord record, CancellationToken ct)
    {
        await _rows.UpsertEntityAsync(record.ToEntity(CategoryKey(record.Category)), TableUpdateMode.Replace, ct);
        await IndexAsync(record.Detail.Id, record.Category, ct);
    }

    private static string IdKey(long id) => id.ToString("D20", CultureInfo.InvariantCulture);

    private Task IndexAsync(long playlistId, string category, CancellationToken ct) =>
        _rows.UpsertEntityAsync(new TableEntity(IdIndex, $"{IdKey(playlistId)}|{CategoryKey(category)}") { ["Category"] = category }, TableUpdateMode.Replace, ct);

    /// <summary>
    /// The categories whose latest view holds this playlist id (none: not in the dataset). Rows written before the
    /// index existed are found once by a scan for the id, and indexed then.
    /// </summary>
    public async Task<IReadOnlyList<string>> CategoriesOfAsync(long playlistId, CancellationToken ct)
    {
        var key = IdKey(playlistId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {IdIndex} and RowKey gt {key + "|"} and RowKey lt {key + "}"}");
        var categories = new List<string>();
        await foreach (var e in _rows.QueryAsync<TableEntity>(filter, select: ["Category"], cancellationToken: ct))
            if (e.GetString("Category") is { } c) categories.Add(c);
        if (categories.Count > 0) return categories;

        var rowKey = playlistId.ToString(CultureInfo.InvariantCulture);
        await foreach (var e in _rows.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {rowKey}"), select: ["PartitionKey", "Category"], cancellationToken: ct))
        {
            if (e.PartitionKey == IdIndex || e.GetString("Category") is not { } c) continue;
            categories.Add(c);
            await IndexAsync(playlistId, c, ct);
        }
        return categories;
    }

    /// <summary>
    /// Up to <paramref name="max"/> rows of one category's latest view, in id order, with the columns a listing needs
    /// (no description); <see cref="CategoryRows.Truncated"/> says the partition holds more.
    /// </summary>
    public async Task<CategoryRows> ReadCategoryAsync(string category, int max, CancellationToken ct)
    {
        var rows = new List<PlaylistRecord>();
        var partition = CategoryKey(category);
        await foreach (var e in _rows.QueryAsync<TableEntity>(x => x.PartitionKey == partition, maxPerPage: 1000, select: ListColumns, cancellationToken: ct))
        {
            if (rows.Count == max) return new CategoryRows(rows, true);
            e["Category"] ??= category;
            rows.Add(PlaylistRecord.FromEntity(e));
        }
        return new CategoryRows(rows, false);
    }

    private static readonly string[] ListColumns =
    [
        "RowKey", "Category", "PlaylistId", "Name", "CreatorId", "CreatorNickname", "TrackCount", "PlayCount", "SubscribedCount",
        "ShareCount", "CommentCount", "Tags", "CreatedAt", "CoverBlob", "CoverBytes", "CoverSha256", "CrawlId", "CrawledAt",
    ];

    public async Task<PlaylistRecord?> GetAsync(string category, long playlistId, CancellationToken ct)
    {
        var row = await _rows.GetEntityIfExistsAsync<TableEntity>(CategoryKey(category), playlistId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: ct);
        return row.HasValue && row.Value is not null ? PlaylistRecord.FromEntity(row.Value) : null;
    }
}

/// <summary>Rows of one category's latest view; <see cref="Truncated"/> when the read stopped at its cap.</summary>
public sealed record CategoryRows(IReadOnlyList<PlaylistRecord> Rows, bool Truncated);
