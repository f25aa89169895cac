using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace FunctionsCrawler.Storage;

/// <summary>
/// A crawl as registered when it starts, and whether it was cancelled since
/// (<see cref="State"/> <c>cancelled</c> when a newer crawl replaced it: <c>--new</c>).
/// </summary>
public sealed record CrawlInfo(string CrawlId, IReadOnlyList<string> Categories, int MaxPages, DateTimeOffset StartedAt, string StartedBy)
{
    public const string Started = "started";
    public const string Cancelled = "cancelled";

    /// <summary><see cref="Started"/> or <see cref="Cancelled"/>; how far a started crawl got is the status entity's business.</summary>
    public string State { get; init; } = Started;
    public DateTimeOffset? CancelledAt { get; init; }
    /// <summary>The crawl that replaced it, when it was cancelled for one.</summary>
    public string? ReplacedBy { get; init; }

    public bool IsCancelled => State == Cancelled;
}

/// <summary>One page of the registry, newest first; <see cref="Continuation"/> reads the next (null on the last page).</summary>
public sealed record CrawlPage(IReadOnlyList<CrawlInfo> Crawls, string? Continuation);

/// <summary>
/// Table <c>Crawls</c>, partition <c>crawl</c>: two rows per crawl, written (and cancelled) together in one transaction.
/// <list type="bullet">
/// <item>RowKey = the crawl id: <c>GET /api/crawls/{crawlId}</c> is a point read.</item>
/// <item>RowKey = <c>t-</c> + inverted start ticks + id: the table's own order is newest first, so the latest crawl
/// is the first row of that range and a page of the list is one range query (no scan, no sort).</item>
/// </list>
/// Rows written before the time index existed are still read by id, but are not listed.
/// </summary>
public sealed class CrawlTable(StorageClients storage)
{
    public const string Name = "Crawls";
    private const string Partition = "crawl";
    private const string IndexPrefix = "t-";
    // Just past every index key ('.' follows '-'): the range [t-, t.) holds the index and nothing else.
    private const string IndexEnd = "t.";
    private readonly TableClient _table = storage.Tables.GetTableClient(Name);

    public Task EnsureCreatedAsync(CancellationToken ct) => _table.CreateIfNotExistsAsync(ct);

    /// <summary>A sortable, readable id: <c>20261127-081500-3f9a</c>.</summary>
    public static string NewCrawlId(DateTimeOffset now) =>
        $"{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..4]}";

    /// <summary>The index row's key: later starts sort first; the id breaks ties and makes it unique.</summary>
    public static string IndexKey(CrawlInfo crawl) =>
        IndexPrefix + (DateTimeOffset.MaxValue.UtcTicks - crawl.StartedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + crawl.CrawlId;

    public async Task AddAsync(CrawlInfo crawl, CancellationToken ct)
    {
        var index = IndexKey(crawl);
        await _table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(crawl, crawl.CrawlId, index)),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(crawl, index, index)),
        ], ct);
    }

    public async Task<CrawlInfo?> GetAsync(string crawlId, CancellationToken ct)
    {
        if (!IsCrawlId(crawlId)) return null; // never a crawl id: not a valid table key, or an index key
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, crawlId, cancellationToken: ct);
        return row.HasValue && row.Value is not null ? FromEntity(row.Value) : null;
    }

    /// <summary>The crawl started last: the first row of the time index.</summary>
    public async Task<CrawlInfo?> LatestAsync(CancellationToken ct) => (await ListPageAsync(1, null, ct)).Crawls.FirstOrDefault();

    /// <summary>
    /// Up to <paramref name="top"/> crawls, newest first, after the one <paramref name="continuation"/> names.
    /// Throws <see cref="FormatException"/> when the continuation is not one this method gave out.
    /// </summary>
    public async Task<CrawlPage> ListPageAsync(int top, string? continuation, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var after = continuation is null ? null : ReadContinuation(continuation);
        var filter = after is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {IndexPrefix} and RowKey lt {IndexEnd}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {after} and RowKey lt {IndexEnd}");
        // One more than asked: whether it exists says if there is a next page.
        var rows = new List<TableEntity>(top + 1);
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(top + 1, 1000), cancellationToken: ct))
        {
            rows.Add(e);
            if (rows.Count > top) break;
        }
        var page = rows.Take(top).Select(FromEntity).ToList();
        return new CrawlPage(page, rows.Count > top ? WriteContinuation(rows[top - 1].RowKey) : null);
    }

    /// <summary>Every crawl started at or after <paramref name="since"/>, newest first (one range query).</summary>
    public async Task<IReadOnlyList<CrawlInfo>> ListSinceAsync(DateTimeOffset since, CancellationToken ct)
    {
        var end = IndexPrefix + (DateTimeOffset.MaxValue.UtcTicks - since.UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {IndexPrefix} and RowKey lt {end}");
        var crawls = new List<CrawlInfo>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: ct)) crawls.Add(FromEntity(e));
        return crawls;
    }

    /// <summary>
    /// Marks the crawl cancelled (both rows, in one transaction that only applies to the row as it was read: a
    /// concurrent change makes it read again). Returns the crawl as it is now; null when there is no such crawl.
    /// A crawl already cancelled stays as it was.
    /// </summary>
    public async Task<CrawlInfo?> CancelAsync(string crawlId, DateTimeOffset at, string? replacedBy, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (!IsCrawlId(crawlId)) return null;
            var read = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, crawlId, cancellationToken: ct);
            if (!read.HasValue || read.Value is null) return null;
            var row = read.Value;
            var crawl = FromEntity(row);
            if (crawl.IsCancelled) return crawl;
            var cancelled = crawl with { State = CrawlInfo.Cancelled, CancelledAt = at, ReplacedBy = replacedBy };
            var change = new TableEntity(Partition, crawlId) { ["State"] = CrawlInfo.Cancelled, ["CancelledAt"] = at };
            if (replacedBy is not null) change["ReplacedBy"] = replacedBy;
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, change, row.ETag) };
            // Rows from before the time index have no index row to update.
            if (row.GetString("IndexKey") is { Length: > 0 } index)
                actions.Add(new(TableTransactionActionType.UpsertMerge, new TableEntity(change) { RowKey = index }));
            try
            {
                await _table.SubmitTransactionAsync(actions, ct);
                return cancelled;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 5)
            {
                // Someone changed the row since we read it: read it again.
            }
        }
    }

    private static bool IsCrawlId(string? crawlId) =>
        !string.IsNullOrEmpty(crawlId) && crawlId.IndexOfAny(['/', '\\', '#', '?']) < 0 && !crawlId.StartsWith(IndexPrefix, StringComparison.Ordinal)
        && crawlId.All(c => !char.IsControl(c));

    private static TableEntity ToEntity(CrawlInfo crawl, string rowKey, string indexKey)
    {
        var entity = new TableEntity(Partition, rowKey)
        {
            ["CrawlId"] = crawl.CrawlId,
            ["Categories"] = string.Join('\n', crawl.Categories),
            ["MaxPages"] = crawl.MaxPages,
            ["StartedAt"] = crawl.StartedAt,
            ["StartedBy"] = crawl.StartedBy,
            ["State"] = crawl.State,
            ["IndexKey"] = indexKey,
        };
        if (crawl.CancelledAt is { } at) entity["CancelledAt"] = at;
        if (crawl.ReplacedBy is { } by) entity["ReplacedBy"] = by;
        return entity;
    }

    private static CrawlInfo FromEntity(TableEntity e) => new(
        e.GetString("CrawlId") ?? e.RowKey,
        (e.GetString("Categories") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries),
        e.GetInt32("MaxPages") ?? 0,
        e.GetDateTimeOffset("StartedAt") ?? default,
        e.GetString("StartedBy") ?? "")
    {
        State = e.GetString("State") == CrawlInfo.Cancelled ? CrawlInfo.Cancelled : CrawlInfo.Started,
        CancelledAt = e.GetDateTimeOffset("CancelledAt"),
        ReplacedBy = e.GetString("ReplacedBy"),
    };

    // Opaque to callers: the last index key returned, base64url so it travels in a query string as is.
    private static string WriteContinuation(string rowKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(rowKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string ReadContinuation(string token)
    {
        string key;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            key = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
        }
        catch (FormatException)
        {
            throw new FormatException($"continuation '{token}' is not one this list gave out");
        }
        if (!key.StartsWith(IndexPrefix, StringComparison.Ordinal) || key.Length > 200 || key.Any(char.IsControl))
            throw new FormatException($"continuation '{token}' is not one this list gave out");
        return key;
    }

    /// <summary>Removes the crawl from the registry, both its rows (the retention clean-up's last step for it); a missing row is fine.</summary>
    public async Task DeleteAsync(string crawlId, CancellationToken ct)
    {
        if (!IsCrawlId(crawlId)) return;
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, crawlId, ["IndexKey"], ct);
        if (row.HasValue && row.Value?.GetString("IndexKey") is { Length: > 0 } index)
            await _table.DeleteEntityAsync(Partition, index, ETag.All, ct);
        await _table.DeleteEntityAsync(Partition, crawlId, ETag.All, ct);
    }
}
