using System.Diagnostics;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// How far this process's memory rises while something runs: its working set (managed and native, which is where
/// ImageSharp keeps large pixel buffers) and the managed heap, sampled every few milliseconds from a baseline taken after
/// a full collection. A sanity bound for what a test does, not a measurement of one allocation.
/// </summary>
internal sealed class PeakMemory : IDisposable
{
    private readonly long _baseWorkingSet;
    private readonly long _baseManaged;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peakWorkingSet;
    private long _peakManaged;

    public PeakMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _baseManaged = GC.GetTotalMemory(false);
        _baseWorkingSet = WorkingSet();
        _peakWorkingSet = _baseWorkingSet;
        _peakManaged = _baseManaged;
        _sampling = Task.Run(SampleAsync);
    }

    /// <summary>The managed heap's rise at its highest, in bytes.</summary>
    public long ManagedGrowth => _peakManaged - _baseManaged;

    /// <summary>Stops sampling; the working set's rise at its highest, in bytes.</summary>
    public long Stop()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
            _sampling.Wait();
            Sample();
        }
        return _peakWorkingSet - _baseWorkingSet;
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Sample();
            try
            {
                await Task.Delay(5, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Sample()
    {
        _peakWorkingSet = Math.Max(_peakWorkingSet, WorkingSet());
        _peakManaged = Math.Max(_peakManaged, GC.GetTotalMemory(false));
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }
}
