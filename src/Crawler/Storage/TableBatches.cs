using Azure.Data.Tables;

namespace FunctionsCrawler.Storage;

/// <summary>
/// Splits writes to one partition into entity-group transactions within Table storage's limits: at most 100
/// actions and 4 MiB of request. The size is estimated on the safe side (every character escaped as <c>\uXXXX</c>),
/// so a page of playlists with 32,000-character descriptions goes in a few transactions rather than failing.
/// </summary>
public static class TableBatches
{
    public const int MaxActions = 100;
    private const long MaxBytes = 3L * 1024 * 1024; // under the 4 MiB limit, with room for the multipart framing

    public static IEnumerable<List<TableTransactionAction>> Split(IEnumerable<TableTransactionAction> actions) =>
        Split(actions.Select(a => (IReadOnlyList<TableTransactionAction>)[a]));

    /// <summary>As <see cref="Split(IEnumerable{TableTransactionAction})"/>, keeping each group's actions in one transaction.</summary>
    public static IEnumerable<List<TableTransactionAction>> Split(IEnumerable<IReadOnlyList<TableTransactionAction>> groups)
    {
        var batch = new List<TableTransactionAction>();
        long bytes = 0;
        foreach (var group in groups)
        {
            var size = group.Sum(a => EstimatedBytes(a.Entity));
            if (batch.Count > 0 && (batch.Count + group.Count > MaxActions || bytes + size > MaxBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            batch.AddRange(group);
            bytes += size;
        }
        if (batch.Count > 0) yield return batch;
    }

    private static long EstimatedBytes(ITableEntity entity)
    {
        long bytes = 512 + (entity.PartitionKey.Length + entity.RowKey.Length) * 6L;
        if (entity is TableEntity e)
            foreach (var (key, value) in e)
                bytes += 64 + key.Length + (value is string s ? s.Length * 6L : 32);
        return bytes;
    }
}
