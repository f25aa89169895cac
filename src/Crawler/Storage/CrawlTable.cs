using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace FunctionsCrawler.Storage;

/// <summary>
/// A crawl as registered when it starts, on one site (<see cref="Site"/>, its base URL), and how it ended: <see cref="State"/>
/// <c>completed</c> or <c>failed</c> (with its exact figures, <see cref="Final"/>) when its item table had no open work left,
/// <c>cancelled</c> when a newer crawl replaced it (<c>--new</c>). The live figures of a running crawl are its status entity's.
/// </summary>
public sealed record CrawlInfo(string CrawlId, IReadOnlyList<string> Categories, int MaxPages, DateTimeOffset StartedAt, string StartedBy)
{
    public const string Started = "started";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>The site the crawl reads (its normalized base URL); empty for crawls registered before crawls knew their site.</summary>
    public string Site { get; init; } = "";

    /// <summary><see cref="Started"/>, <see cref="Completed"/>, <see cref="Failed"/> or <see cref="Cancelled"/>.</summary>
    public string State { get; init; } = Started;
    public DateTimeOffset? CancelledAt { get; init; }
    /// <summary>The crawl that replaced it, when it was cancelled for one.</summary>
    public string? ReplacedBy { get; init; }

    /// <summary>When it completed or failed, why it failed, and its figures then (the item table's tally).</summary>
    public DateTimeOffset? FinishedAt { get; init; }
    public string? FailedReason { get; init; }
    public CrawlTally? Final { get; init; }

    public bool IsCancelled => State == Cancelled;

    /// <summary>Completed or failed: its item table had nothing open when it was judged.</summary>
    public bool IsEnded => State is Completed or Failed;
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
    public async Task<CrawlInfo?> LatestAsync(CancellationToken ct) => (await ListPageAsync(1, null, ct)).Crawls is [var latest, ..] ? latest : null;

    /// <summary>
    /// The registry newest first, a page of 100 at a time, stopping after the page that reaches <paramref name="maxRows"/>
    /// (a reader looking back through it reads no more than that).
    /// </summary>
    public async IAsyncEnumerable<CrawlInfo> RecentAsync(int maxRows, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? continuation = null;
        var read = 0;
        do
        {
            var page = await ListPageAsync(100, continuation, ct);
            foreach (var crawl in page.Crawls) yield return crawl;
            read += page.Crawls.Count;
            continuation = page.Continuation;
        }
        while (continuation is not null && read < maxRows);
    }

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
    /// Marks a started crawl cancelled. Returns the crawl as it is now; null when there is no such crawl. A crawl that
    /// ended or was cancelled already stays as it was (a completed crawl stays completed).
    /// </summary>
    public Task<CrawlInfo?> CancelAsync(string crawlId, DateTimeOffset at, string? replacedBy, CancellationToken ct) =>
        ChangeAsync(crawlId, c => c.State != CrawlInfo.Started ? null : c with { State = CrawlInfo.Cancelled, CancelledAt = at, ReplacedBy = replacedBy }, ct);

    /// <summary>
    /// Records that a started crawl ended (<see cref="CrawlInfo.Completed"/> or <see cref="CrawlInfo.Failed"/>) with its
    /// final figures. True for the one call that made the change; false when the crawl had ended, was cancelled, or is unknown.
    /// </summary>
    public async Task<bool> EndAsync(string crawlId, string state, string? reason, CrawlTally? final, DateTimeOffset at, CancellationToken ct)
    {
        var won = false;
        await ChangeAsync(crawlId, c =>
        {
            if (c.State != CrawlInfo.Started) return null;
            won = true;
            return c with { State = state, FinishedAt = at, FailedReason = reason, Final = final };
        }, ct);
        return won;
    }

    /// <summary>An ended crawl is started again (its failed work was requeued); a cancelled one stays cancelled.</summary>
    public Task<CrawlInfo?> ReopenAsync(string crawlId, CancellationToken ct) =>
        ChangeAsync(crawlId, c => !c.IsEnded ? null : c with { State = CrawlInfo.Started, FinishedAt = null, FailedReason = null, Final = null }, ct);

    /// <summary>
    /// Changes both rows of a crawl in one transaction that only applies to the row as it was read (a concurrent change
    /// makes it read again). <paramref name="change"/> returns null to leave the crawl as it is.
    /// </summary>
    private async Task<CrawlInfo?> ChangeAsync(string crawlId, Func<CrawlInfo, CrawlInfo?> change, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (!IsCrawlId(crawlId)) return null;
            var read = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, crawlId, cancellationToken: ct);
            if (!read.HasValue || read.Value is null) return null;
            var row = read.Value;
            var crawl = FromEntity(row);
            if (change(crawl) is not { } changed) return crawl;
            var index = row.GetString("IndexKey") is { Length: > 0 } key ? key : null;
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, ToEntity(changed, crawlId, index), row.ETag) };
            // Rows from before the time index have no index row to update.
            if (index is not null) actions.Add(new(TableTransactionActionType.UpsertReplace, ToEntity(changed, index, index)));
            try
            {
                await _table.SubmitTransactionAsync(actions, ct);
                return changed;
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 && attempt < 5)
            {
                // Someone changed the row since we read it: read it again.
            }
        }
    }

    private static bool IsCrawlId(string? crawlId) =>
        !string.IsNullOrEmpty(crawlId) && crawlId.IndexOfAny(['/', '\\', '#', '?']) < 0 && !crawlId.StartsWith(IndexPrefix, StringComparison.Ordinal)
        && crawlId.All(c => !char.IsControl(c));

    private static TableEntity ToEntity(CrawlInfo crawl, string rowKey, string? indexKey)
    {
        var entity = new TableEntity(Partition, rowKey)
        {
            ["CrawlId"] = crawl.CrawlId,
            ["Categories"] = JsonSerializer.Serialize(crawl.Categories),
            ["MaxPages"] = crawl.MaxPages,
            ["StartedAt"] = crawl.StartedAt,
            ["StartedBy"] = crawl.StartedBy,
            ["Site"] = crawl.Site,
            ["State"] = crawl.State,
        };
        if (indexKey is not null) entity["IndexKey"] = indexKey;
        if (crawl.CancelledAt is { } at) entity["CancelledAt"] = at;
        if (crawl.ReplacedBy is { } by) entity["ReplacedBy"] = by;
        if (crawl.FinishedAt is { } finished) entity["FinishedAt"] = finished;
        if (crawl.FailedReason is { } reason) entity["FailedReason"] = reason;
        if (crawl.Final is { } final) entity["Final"] = JsonSerializer.Serialize(final);
        return entity;
    }

    private static CrawlInfo FromEntity(TableEntity e) => new(
        e.GetString("CrawlId") ?? e.RowKey,
        ReadCategories(e.GetString("Categories")),
        e.GetInt32("MaxPages") ?? 0,
        e.GetDateTimeOffset("StartedAt") ?? default,
        e.GetString("StartedBy") ?? "")
    {
        Site = e.GetString("Site") ?? "",
        State = e.GetString("State") is { } state && state is CrawlInfo.Completed or CrawlInfo.Failed or CrawlInfo.Cancelled ? state : CrawlInfo.Started,
        CancelledAt = e.GetDateTimeOffset("CancelledAt"),
        ReplacedBy = e.GetString("ReplacedBy"),
        FinishedAt = e.GetDateTimeOffset("FinishedAt"),
        FailedReason = e.GetString("FailedReason"),
        Final = e.GetString("Final") is { Length: > 0 } final ? JsonSerializer.Deserialize<CrawlTally>(final) : null,
    };

    /// <summary>
    /// A JSON array; rows written before it was one hold the names joined with line breaks. A value that is neither stays
    /// one entry as it is, so the readers' name check refuses it instead of the row failing every read of the registry.
    /// </summary>
    internal static string[] ReadCategories(string? stored)
    {
        if (stored is null) return [];
        if (!stored.StartsWith('[')) return stored.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            return JsonSerializer.Deserialize<string?[]>(stored)?.Select(c => c ?? "").ToArray() ?? [];
        }
        catch (JsonException)
        {
            return [stored];
        }
    }

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
