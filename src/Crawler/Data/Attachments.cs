using System.Globalization;
using FunctionsCrawler.Api;

namespace FunctionsCrawler.Data;

/// <summary>The dataset's file answers, the same for every export route: a Parquet attachment sent with its length, a CSV streamed.</summary>
internal static class Attachments
{
    /// <summary>
    /// A Parquet attachment: Parquet writes its footer by seeking back, so the file is written to a temporary file first,
    /// then sent with its length (and deleted once sent).
    /// </summary>
    public static async Task<ApiResult> ParquetAsync(string fileName, Func<Stream, Task> write)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await write(file);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        var length = file.Length;
        return ApiResult.Stream("application/vnd.apache.parquet", async (output, token) =>
        {
            await using (file)
            {
                file.Position = 0;
                await file.CopyToAsync(output, token);
            }
        }, new Dictionary<string, string>
        {
            ["Content-Disposition"] = "attachment; filename=" + fileName,
            ["Content-Length"] = length.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>A CSV attachment, written as it streams (start its rows with <see cref="StartedAsync"/>).</summary>
    public static ApiResult Csv(string fileName, Func<Stream, CancellationToken, Task> write) =>
        ApiResult.Stream("text/csv; charset=utf-8", write,
            new Dictionary<string, string> { ["Content-Disposition"] = $"attachment; filename=\"{fileName}\"" });

    /// <summary>
    /// The rows, their first already read: storage that does not answer is a 503 thrown here, not a 200 cut off once the
    /// answer has started.
    /// </summary>
    public static async Task<IAsyncEnumerable<T>> StartedAsync<T>(IAsyncEnumerable<T> source, CancellationToken ct)
    {
        var rows = source.GetAsyncEnumerator(ct);
        bool any;
        try
        {
            any = await rows.MoveNextAsync();
        }
        catch
        {
            await rows.DisposeAsync();
            throw;
        }
        return Rest(rows, any);

        static async IAsyncEnumerable<T> Rest(IAsyncEnumerator<T> rows, bool any)
        {
            await using (rows)
            {
                for (var more = any; more; more = await rows.MoveNextAsync())
                    yield return rows.Current;
            }
        }
    }
}
