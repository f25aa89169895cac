using System.Globalization;
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

    /// <summary>Upserts many rows, one transaction per category (or a few for long texts).</summary>
    public async Task UpsertAllAsync(IReadOnlyList<PlaylistRecord> records, CancellationToken ct)
    {
        foreach (var category in records.GroupBy(r => r.Category, StringComparer.Ordinal))
        {
            var actions = category.DistinctBy(r => r.Detail.Id)
                .Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r.ToEntity(CategoryKey(r.Category))));
            foreach (var batch in TableBatches.Split(actions))
                await _rows.SubmitTransactionAsync(batch, ct);
        }
    }

    /// <summary>
    /// Which of <paramref name="candidates"/> hold this playlist id in the latest view (none: not in the dataset): one point
    /// read per category, in parallel. No id index is kept, so the crawl writes nothing more per playlist for this route.
    /// </summary>
    public async Task<IReadOnlyList<string>> CategoriesOfAsync(long playlistId, IEnumerable<string> candidates, CancellationToken ct)
    {
        var rowKey = playlistId.ToString(CultureInfo.InvariantCulture);
        var found = await Task.WhenAll(candidates.Distinct(StringComparer.Ordinal).Select(async c =>
            (Category: c, Row: await _rows.GetEntityIfExistsAsync<TableEntity>(CategoryKey(c), rowKey, ["PartitionKey"], ct))));
        return found.Where(f => f.Row.HasValue).Select(f => f.Category).ToList();
    }

    /// <summary>Ids per lookup query: Table storage allows 15 comparisons in a filter, one of them the partition's.</summary>
    private const int IdsPerLookup = 14;

    /// <summary>
    /// What the dataset's latest view knows of these ids in one category (their cover and counts), keyed by id; an id it
    /// does not hold is new to the category. A few queries of 14 ids each, not a read per playlist.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, PlaylistRecord>> LookupAsync(string category, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var partition = CategoryKey(category);
        var chunks = ids.Distinct().Chunk(IdsPerLookup).ToList();
        var found = await Task.WhenAll(chunks.Select(async chunk =>
        {
            var rows = new List<PlaylistRecord>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and ("
                + string.Join(" or ", chunk.Select(id => TableClient.CreateQueryFilter($"RowKey eq {id.ToString(CultureInfo.InvariantCulture)}"))) + ")";
            await foreach (var e in _rows.QueryAsync<TableEntity>(filter, select: ListColumns.Append("CoverUrl"), cancellationToken: ct))
            {
                e["Category"] ??= category;
                rows.Add(PlaylistRecord.FromEntity(e));
            }
            return rows;
        }));
        return found.SelectMany(r => r).ToDictionary(r => r.Detail.Id);
    }

    /// <summary>
    /// Up to <paramref name="max"/> rows of one category's latest view, in id order, with the columns a listing needs
    /// (no description); <see cref="CategoryRows.Truncated"/> says the partition holds more.
    /// </summary>
    public Task<CategoryRows> ReadCategoryAsync(string category, int max, CancellationToken ct) => ReadCategoryAsync(category, max, long.MaxValue, ct);

    /// <summary>
    /// At most <paramref name="max"/> rows of the category's latest view with the listing's columns, stopping (truncated) once
    /// the rows read hold <paramref name="maxTextChars"/> characters of text: a row's texts can be 32,000 characters each.
    /// </summary>
    public async Task<CategoryRows> ReadCategoryAsync(string category, int max, long maxTextChars, CancellationToken ct)
    {
        var rows = new List<PlaylistRecord>();
        long chars = 0;
        var partition = CategoryKey(category);
        await foreach (var e in _rows.QueryAsync<TableEntity>(x => x.PartitionKey == partition, maxPerPage: 1000, select: ListColumns, cancellationToken: ct))
        {
            if (rows.Count == max || chars >= maxTextChars) return new CategoryRows(rows, true) { TextChars = chars };
            e["Category"] ??= category;
            foreach (var value in ((IDictionary<string, object>)e).Values) if (value is string text) chars += text.Length;
            rows.Add(PlaylistRecord.FromEntity(e));
        }
        return new CategoryRows(rows, false) { TextChars = chars };
    }

    private static readonly string[] ListColumns =
    [
        "RowKey", "Category", "PlaylistId", "Name", "CreatorId", "CreatorNickname", "TrackCount", "PlayCount", "SubscribedCount",
        "ShareCount", "CommentCount", "Tags", "CreatedAt", "CoverBlob", "CoverBytes", "CoverSha256", "CrawlId", "CrawledAt",
        "TracksKey", "TracksListed", "TracksUpdatedAt", "TracksFlag",
    ];

    public async Task<PlaylistRecord?> GetAsync(string category, long playlistId, CancellationToken ct)
    {
        var row = await _rows.GetEntityIfExistsAsync<TableEntity>(CategoryKey(category), playlistId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: ct);
        return row.HasValue && row.Value is not null ? PlaylistRecord.FromEntity(row.Value) : null;
    }
}

/// <summary>Rows of one category's latest view; <see cref="Truncated"/> when the read stopped at its cap.</summary>
public sealed record CategoryRows(IReadOnlyList<PlaylistRecord> Rows, bool Truncated)
{
    /// <summary>Characters of text the rows' columns held as read.</summary>
    public long TextChars { get; init; }
}
