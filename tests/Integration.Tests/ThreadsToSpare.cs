using System.Runtime.CompilerServices;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// Raises the thread pool's minimum before any test runs. The Sandbox runs in the test process and stamps each arrival
/// when its handler starts; with in-process crawls running beside it, a pool that adds threads one at a time left
/// requests waiting and then stamped them together, bunching arrivals that had left a host evenly spaced.
/// </summary>
internal static class ThreadsToSpare
{
    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
