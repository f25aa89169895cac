using System.IO.Compression;
using System.Net;
using System.Text;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Tests.Parsing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace FunctionsCrawler.Tests.NetEase;

/// <summary>
/// Tests that measure the process's allocations (<see cref="GC.GetTotalAllocatedBytes"/> counts every thread), so they run
/// alone: beside other tests the figure is theirs too.
/// </summary>
[Collection(nameof(MeasuresAllocations))]
public sealed class AllocationTests
{
    [Fact]
    public async Task A_gzip_body_that_inflates_past_the_cap_is_malformed_and_never_held_whole()
    {
        var bomb = NetEaseClientTests.GzipOfZeros(64 * 1024 * 1024);
        Assert.True(bomb.Length < 200_000);
        await using var server = new HostileServer((_, s, ct) =>
            HostileServer.WriteAsync(s, 200, [("Content-Type", NetEaseClientTests.Html), ("Content-Encoding", "gzip")], bomb, ct));
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await NetEaseClientTests.Client(server.BaseUrl, o => o.MaxPageBytes = 1024 * 1024).GetListPageAsync("说唱", 0, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Contains("over the 1,048,576-byte cap (after decompression)", result.Reason);
        Assert.True(allocated < 32 * 1024 * 1024, $"reading a capped page allocated {allocated:N0} bytes");
    }
}

[CollectionDefinition(nameof(MeasuresAllocations), DisableParallelization = true)]
public sealed class MeasuresAllocations;
