using Parquet;
using Parquet.Serialization;

namespace FunctionsCrawler.Export;

/// <summary>Writes rows to a Parquet file in row groups, so a large export is never held whole; no rows is still a valid file with the schema.</summary>
internal static class ParquetRowGroups
{
    public static async Task WriteAsync<TIn, TRow>(Stream output, IAsyncEnumerable<TIn> rows, Func<TIn, TRow> toRow, int groupSize, CancellationToken ct)
    {
        var group = new List<TRow>(groupSize);
        var written = false;
        await foreach (var row in rows.WithCancellation(ct))
        {
            group.Add(toRow(row));
            if (group.Count < groupSize) continue;
            await WriteGroupAsync(output, group, append: written, ct);
            written = true;
            group.Clear();
        }
        if (group.Count > 0 || !written) await WriteGroupAsync(output, group, append: written, ct);
    }

    private static async Task WriteGroupAsync<TRow>(Stream output, List<TRow> rows, bool append, CancellationToken ct) =>
        await ParquetSerializer.SerializeAsync(rows, output, new ParquetOptions { Append = append }, null, ct);
}
