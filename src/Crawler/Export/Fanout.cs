using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace FunctionsCrawler.Export;

/// <summary>
/// One read of rows written by several writers side by side (a table's CSV and its Parquet): each writer reads a short
/// queue of its own, so the rows are read from storage once and never held whole. A writer that fails stops the read.
/// </summary>
internal static class Fanout
{
    /// <summary>Items queued per writer: enough to keep a slower writer busy, few enough that memory stays flat.</summary>
    private const int Capacity = 64;

    public static async Task WriteAsync<T>(IAsyncEnumerable<T> source, IReadOnlyList<Func<IAsyncEnumerable<T>, CancellationToken, Task>> writers,
        CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var queues = writers.Select(_ => Channel.CreateBounded<T>(new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true })).ToList();
        var writing = writers.Select((write, i) => RunAsync(write, queues[i].Reader, stop)).ToList();

        Exception? readError = null;
        try
        {
            await foreach (var item in source.WithCancellation(stop.Token))
                foreach (var queue in queues)
                    await queue.Writer.WriteAsync(item, stop.Token);
        }
        catch (Exception e)
        {
            readError = e;
        }
        foreach (var queue in queues) queue.Writer.TryComplete(readError);

        try
        {
            await Task.WhenAll(writing);
        }
        catch (Exception) when (readError is not null || writing.Any(w => w.IsFaulted))
        {
            // Chosen below: the first cause, not the cancellations it caused.
        }
        var writeError = writing.Where(w => w.IsFaulted).Select(w => w.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException);
        if (readError is not null and not OperationCanceledException) ExceptionDispatchInfo.Throw(readError);
        if (writeError is not null) ExceptionDispatchInfo.Throw(writeError);
        if (readError is not null) ExceptionDispatchInfo.Throw(readError);
        await Task.WhenAll(writing);
    }

    private static async Task RunAsync<T>(Func<IAsyncEnumerable<T>, CancellationToken, Task> write, ChannelReader<T> queue, CancellationTokenSource stop)
    {
        try
        {
            await write(queue.ReadAllAsync(stop.Token), stop.Token);
            // A writer that stopped reading early must not leave the reader waiting on its full queue.
            await foreach (var _ in queue.ReadAllAsync(stop.Token)) { }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }
}
