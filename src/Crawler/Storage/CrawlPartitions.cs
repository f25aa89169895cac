using Azure;
using Azure.Data.Tables;

namespace FunctionsCrawler.Storage;

/// <summary>
/// The tables whose PartitionKey is the crawl id (each crawl's own snapshot, not the dataset): deleting a crawl
/// deletes its whole partition in each. Table <c>Playlists</c> (the dataset) is not one of them.
/// </summary>
public sealed class CrawlPartitions(StorageClients storage)
{
    /// <summary>A transaction holds at most 100 operations, all in one partition.</summary>
    public const int BatchSize = 100;

    /// <summary><c>CrawlPlaylists</c> (what a crawl learned per id) and <c>CrawlItems</c> (a crawl's per-item rows).</summary>
    public static readonly IReadOnlyList<string> Tables = [PlaylistTable.ScrapedName, "CrawlItems"];

    /// <summary>Deletes every row of the crawl in every per-crawl table; returns how many. A table not created yet has none.</summary>
    public async Task<int> DeleteAsync(string crawlId, CancellationToken ct)
    {
        var deleted = 0;
        foreach (var name in Tables) deleted += await DeletePartitionAsync(storage.Tables.GetTableClient(name), crawlId, ct);
        return deleted;
    }

    private static async Task<int> DeletePartitionAsync(TableClient table, string crawlId, CancellationToken ct)
    {
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {crawlId}");
        try
        {
            // Page by page, so a large crawl never sits in memory; deleting behind the continuation token is safe (it is key-based).
            await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: ct).AsPages())
            {
                foreach (var chunk in page.Values.Chunk(BatchSize))
                {
                    await DeleteBatchAsync(table, crawlId, chunk.Select(e => e.RowKey).ToList(), ct);
                    deleted += chunk.Length;
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The table does not exist (yet): nothing of this crawl is in it.
        }
        return deleted;
    }

    private static async Task DeleteBatchAsync(TableClient table, string crawlId, IReadOnlyList<string> rowKeys, CancellationToken ct)
    {
        try
        {
            await table.SubmitTransactionAsync(
                rowKeys.Select(rk => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(crawlId, rk), ETag.All)), ct);
        }
        catch (TableTransactionFailedException)
        {
            // One row of the batch went meanwhile (a concurrent run): delete one by one; a missing row is fine.
            foreach (var rk in rowKeys) await table.DeleteEntityAsync(crawlId, rk, ETag.All, ct);
        }
    }
}
