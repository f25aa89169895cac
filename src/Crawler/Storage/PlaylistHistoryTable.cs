using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace FunctionsCrawler.Storage;

/// <summary>One playlist's counters as one crawl recorded them in one category: a row of <c>playlist_history</c>.</summary>
public sealed record HistoryRow(long PlaylistId, string Category, string CrawlId, DateTimeOffset CrawledAt,
    long PlayCount, long SubscribedCount, long ShareCount, long CommentCount, long TrackCount)
{
    /// <summary>How the crawl that recorded the row ended: <c>completed</c>, or <c>failed</c> (a crawl that stalled with some playlists done).</summary>
    public string CrawlState { get; init; } = CrawlInfo.Completed;

    public static HistoryRow Of(PlaylistRecord r, string crawlState) =>
        new(r.Detail.Id, r.Category, r.CrawlId, r.CrawledAt, r.Detail.PlayCount, r.Detail.SubscribedCount, r.Detail.ShareCount,
            r.Detail.CommentCount, r.Detail.TrackCount) { CrawlState = crawlState };
}

/// <summary>
/// Table <c>PlaylistHistory</c>: every crawl's counters for every playlist, kept <c>Crawler__HistoryDays</c> (a year) whatever
/// happens to the crawls themselves. Partition = the category (<see cref="PlaylistTable.CategoryKey"/>), RowKey =
/// <c>&lt;playlist id, 19 digits&gt;|&lt;crawl id&gt;</c>: one playlist's year in a category is one range query, oldest first
/// (crawl ids start with their start time), and writing a crawl again replaces its rows. A crawl's rows are written once,
/// when it ends, from its own rows in <see cref="CrawlItemTable"/>, a hundred to a transaction: the crawl itself writes
/// nothing more per playlist.
/// </summary>
public sealed class PlaylistHistoryTable(StorageClients storage, CrawlItemTable items)
{
    public const string Name = "PlaylistHistory";
    /// <summary>Partitions written at once when a crawl is recorded.</summary>
    private const int ParallelPartitions = 4;

    /// <summary>The columns of a crawl's own rows that history needs: the counters, not the text.</summary>
    private static readonly string[] CounterColumns =
        ["PlaylistId", "CrawlId", "CrawledAt", "PlayCount", "SubscribedCount", "ShareCount", "CommentCount", "TrackCount"];

    private static readonly string[] RowColumns =
        ["PartitionKey", "RowKey", "PlaylistId", "Category", "CrawlId", "CrawledAt", "PlayCount", "SubscribedCount", "ShareCount", "CommentCount", "TrackCount", "CrawlState"];

    private readonly TableClient _table = storage.Tables.GetTableClient(Name);

    public Task EnsureCreatedAsync(CancellationToken ct) => _table.CreateIfNotExistsAsync(ct);

    private static string IdKey(long playlistId) => playlistId.ToString("D19", CultureInfo.InvariantCulture);

    public static string RowKey(long playlistId, string crawlId) => $"{IdKey(playlistId)}|{crawlId}";

    /// <summary>
    /// Writes the crawl's done rows of <paramref name="categories"/> as history rows (upserts: a second call rewrites the
    /// same rows), in entity-group transactions of up to 100 rows of one category, a few categories at a time.
    /// <paramref name="crawlState"/> is how the crawl ended. Returns the rows written.
    /// </summary>
    public async Task<int> RecordCrawlAsync(string crawlId, IReadOnlyCollection<string> categories, string crawlState, CancellationToken ct)
    {
        var written = 0;
        await Parallel.ForEachAsync(categories.Distinct(StringComparer.Ordinal), InParallel(ct), async (category, token) =>
        {
            var rows = new List<HistoryRow>();
            await foreach (var r in items.ReadRowsAsync(crawlId, category, CounterColumns, token))
                rows.Add(HistoryRow.Of(r, crawlState) with { CrawlId = crawlId });
            await WritePartitionAsync(rows, token);
            Interlocked.Add(ref written, rows.Count);
        });
        return written;
    }

    /// <summary>Upserts history rows as <see cref="RecordCrawlAsync"/> writes them (a backfill): by category, a hundred to a transaction.</summary>
    public Task UpsertAsync(IEnumerable<HistoryRow> rows, CancellationToken ct) =>
        Parallel.ForEachAsync(rows.GroupBy(r => r.Category, StringComparer.Ordinal), InParallel(ct),
            async (category, token) => await WritePartitionAsync([.. category], token));

    private static ParallelOptions InParallel(CancellationToken ct) => new() { MaxDegreeOfParallelism = ParallelPartitions, CancellationToken = ct };

    /// <summary>Writes rows of one category: one entity-group transaction per hundred rows (or fewer, Table storage's 4 MiB permitting).</summary>
    private async Task WritePartitionAsync(IReadOnlyList<HistoryRow> rows, CancellationToken ct)
    {
        var actions = rows.DistinctBy(r => (r.PlaylistId, r.CrawlId)).Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(r)));
        foreach (var batch in TableBatches.Split(actions))
            await SubmitAsync(batch, ct);
    }

    /// <summary>Submits one transaction; a storage account set up before this table existed gets it on the first write.</summary>
    private async Task SubmitAsync(List<TableTransactionAction> batch, CancellationToken ct)
    {
        try
        {
            await _table.SubmitTransactionAsync(batch, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode == "TableNotFound")
        {
            await _table.CreateIfNotExistsAsync(ct);
            await _table.SubmitTransactionAsync(batch, ct);
        }
    }

    /// <summary>One playlist's history in one category, oldest first: one range query (a year of daily crawls is one page).</summary>
    public async Task<IReadOnlyList<HistoryRow>> ReadPlaylistAsync(string category, long playlistId, CancellationToken ct)
    {
        var partition = PlaylistTable.CategoryKey(category);
        var first = IdKey(playlistId) + "|";
        var end = IdKey(playlistId) + "}"; // '}' follows '|': just past every row of this id
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {first} and RowKey lt {end}");
        var rows = new List<HistoryRow>();
        try
        {
            await foreach (var e in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: RowColumns, cancellationToken: ct))
                rows.Add(FromEntity(e, category));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return []; // no history recorded yet: the table comes with the first crawl that ends
        }
        rows.Sort((a, b) => a.CrawledAt.CompareTo(b.CrawledAt));
        return rows;
    }

    /// <summary>Every history row of these categories, ordered by category (ordinal), playlist id and time: what the exports hold.</summary>
    public async IAsyncEnumerable<HistoryRow> ReadCategoriesAsync(IEnumerable<string> categories, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var category in categories.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            await foreach (var row in ReadCategoryAsync(category, ct))
                yield return row;
    }

    /// <summary>
    /// Every history row of one category, ordered by playlist id, then time: the partition in key order, each playlist's
    /// few rows put in time order.
    /// </summary>
    public async IAsyncEnumerable<HistoryRow> ReadCategoryAsync(string category, [EnumeratorCancellation] CancellationToken ct)
    {
        var partition = PlaylistTable.CategoryKey(category);
        var group = new List<HistoryRow>();
        var pages = _table.QueryAsync<TableEntity>(x => x.PartitionKey == partition, maxPerPage: 1000, select: RowColumns, cancellationToken: ct);
        await using var rows = pages.GetAsyncEnumerator(ct);
        while (true)
        {
            bool more;
            try
            {
                more = await rows.MoveNextAsync();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                yield break; // no history recorded yet
            }
            if (!more || (group.Count > 0 && rows.Current.GetInt64("PlaylistId") != group[0].PlaylistId))
            {
                group.Sort((a, b) => a.CrawledAt.CompareTo(b.CrawledAt));
                foreach (var row in group) yield return row;
                group.Clear();
            }
            if (!more) yield break;
            group.Add(FromEntity(rows.Current, category));
        }
    }

    /// <summary>
    /// Deletes the rows recorded before <paramref name="cutoff"/> (by their <c>CrawledAt</c>), a hundred to a transaction.
    /// The crawls' own retention is another matter: deleting a crawl never deletes its history. Returns the rows deleted.
    /// </summary>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        var deleted = 0;
        var batch = new List<TableTransactionAction>();
        var filter = TableClient.CreateQueryFilter($"CrawledAt lt {cutoff}");
        try
        {
            // Results come partition by partition, and a transaction holds one partition: flush at each change.
            await foreach (var e in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
            {
                if (batch.Count == TableBatches.MaxActions || (batch.Count > 0 && batch[0].Entity.PartitionKey != e.PartitionKey))
                    deleted += await DeleteAsync(batch, ct);
                batch.Add(new(TableTransactionActionType.Delete, new TableEntity(e.PartitionKey, e.RowKey), ETag.All));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode == "TableNotFound")
        {
            return deleted; // no history recorded yet
        }
        if (batch.Count > 0) deleted += await DeleteAsync(batch, ct);
        return deleted;
    }

    /// <summary>Deletes a batch and empties it; a row another clean-up deleted first is left out and the rest tried again.</summary>
    private async Task<int> DeleteAsync(List<TableTransactionAction> batch, CancellationToken ct)
    {
        var deleted = 0;
        while (batch.Count > 0)
        {
            try
            {
                await _table.SubmitTransactionAsync(batch, ct);
                deleted += batch.Count;
                batch.Clear();
            }
            catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedTransactionActionIndex is { } gone)
            {
                batch.RemoveAt(gone);
            }
        }
        return deleted;
    }

    private static TableEntity ToEntity(HistoryRow r) => new(PlaylistTable.CategoryKey(r.Category), RowKey(r.PlaylistId, r.CrawlId))
    {
        ["PlaylistId"] = r.PlaylistId,
        ["Category"] = r.Category,
        ["CrawlId"] = r.CrawlId,
        ["CrawledAt"] = r.CrawledAt,
        ["PlayCount"] = r.PlayCount,
        ["SubscribedCount"] = r.SubscribedCount,
        ["ShareCount"] = r.ShareCount,
        ["CommentCount"] = r.CommentCount,
        ["TrackCount"] = r.TrackCount,
        ["CrawlState"] = r.CrawlState,
    };

    private static HistoryRow FromEntity(TableEntity e, string category) =>
        new(e.GetInt64("PlaylistId") ?? long.Parse(e.RowKey.AsSpan(0, 19), CultureInfo.InvariantCulture),
            e.GetString("Category") ?? category,
            e.GetString("CrawlId") ?? e.RowKey[20..],
            e.GetDateTimeOffset("CrawledAt") ?? default,
            e.GetInt64("PlayCount") ?? 0, e.GetInt64("SubscribedCount") ?? 0, e.GetInt64("ShareCount") ?? 0,
            e.GetInt64("CommentCount") ?? 0, e.GetInt64("TrackCount") ?? 0)
        {
            CrawlState = e.GetString("CrawlState") ?? CrawlInfo.Completed,
        };
}
