using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace FunctionsCrawler.Storage;

/// <summary>A crawl as registered when it starts.</summary>
public sealed record CrawlInfo(string CrawlId, IReadOnlyList<string> Categories, int MaxPages, DateTimeOffset StartedAt, string StartedBy);

/// <summary>Table <c>Crawls</c>: every crawl started, newest first (crawl ids sort by start time).</summary>
public sealed class CrawlTable(StorageClients storage)
{
    public const string Name = "Crawls";
    private const string Partition = "crawl";
    private readonly TableClient _table = storage.Tables.GetTableClient(Name);

    public Task EnsureCreatedAsync(CancellationToken ct) => _table.CreateIfNotExistsAsync(ct);

    /// <summary>A sortable, readable id: <c>20261127-081500-3f9a</c>.</summary>
    public static string NewCrawlId(DateTimeOffset now) =>
        $"{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..4]}";

    public Task AddAsync(CrawlInfo crawl, CancellationToken ct) =>
        _table.UpsertEntityAsync(new TableEntity(Partition, crawl.CrawlId)
        {
            ["Categories"] = string.Join('\n', crawl.Categories),
            ["MaxPages"] = crawl.MaxPages,
            ["StartedAt"] = crawl.StartedAt,
            ["StartedBy"] = crawl.StartedBy,
        }, TableUpdateMode.Replace, ct);

    public async Task<IReadOnlyList<CrawlInfo>> ListAsync(CancellationToken ct)
    {
        var crawls = new List<CrawlInfo>();
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: ct))
            crawls.Add(FromEntity(e));
        return crawls.OrderByDescending(c => c.CrawlId, StringComparer.Ordinal).ToList();
    }

    public async Task<CrawlInfo?> GetAsync(string crawlId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(crawlId) || crawlId.IndexOfAny(['/', '\\', '#', '?']) >= 0) return null; // never a crawl id: not a valid table key
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, crawlId, cancellationToken: ct);
        return row.HasValue && row.Value is not null ? FromEntity(row.Value) : null;
    }

    private static CrawlInfo FromEntity(TableEntity e) => new(
        e.RowKey,
        (e.GetString("Categories") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries),
        e.GetInt32("MaxPages") ?? 0,
        e.GetDateTimeOffset("StartedAt") ?? default,
        e.GetString("StartedBy") ?? "");

    public async Task<CrawlInfo?> LatestAsync(CancellationToken ct) => (await ListAsync(ct)).FirstOrDefault();

    /// <summary>Removes the crawl from the registry (the retention clean-up's last step for it); a missing row is fine.</summary>
    public Task DeleteAsync(string crawlId, CancellationToken ct) =>
        _table.DeleteEntityAsync(Partition, crawlId, ETag.All, ct);
}
