using FunctionsCrawler.Storage;
using System.Collections.Concurrent;
using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Integration.Tests.Storage;

/// <summary>The shared schedule's row in Table storage: concurrent claims never overlap, and what they cost.</summary>
[Collection(nameof(InProcessStorage))]
public sealed class TableTurnScheduleTests(AzuriteFixture azurites)
{
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Claims_from_three_processes_at_once_never_overlap()
    {
        var azurite = azurites.NewAccount();
        // Three schedules, each with its own clients and kept ETags: three processes.
        var schedules = Enumerable.Range(0, 3).Select(_ => new TableTurnSchedule(LocalStorage.Clients(azurite))).ToArray();
        var leases = new ConcurrentBag<(long Start, long End)>();
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(schedules.Select(schedule => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var turns = 1 + i % 3;
                var first = await schedule.ClaimAsync("site:5080", turns, Spacing, now, CancellationToken.None);
                leases.Add((first.UtcTicks, first.UtcTicks + turns * Spacing.Ticks));
            }
        })));
        var sorted = leases.OrderBy(l => l.Start).ToArray();
        Assert.Equal(60, sorted.Length);
        for (var i = 1; i < sorted.Length; i++)
            Assert.True(sorted[i].Start >= sorted[i - 1].End, $"lease {i} starts inside lease {i - 1}");
        Assert.Equal(now.UtcTicks, sorted[0].Start);
        // Back to back: no slot left between them, since every claim asked from the same moment.
        Assert.Equal(now.UtcTicks + sorted.Sum(l => l.End - l.Start), sorted[^1].End);
        // Another group has its own row.
        Assert.Equal(now, await schedules[0].ClaimAsync("music.126.net", 1, Spacing, now, CancellationToken.None));
    }

    [Fact]
    public async Task One_process_alone_pays_one_transaction_per_claim()
    {
        var azurite = azurites.NewAccount();
        var schedule = new TableTurnSchedule(LocalStorage.Clients(azurite));
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 50; i++) await schedule.ClaimAsync("site", 2, Spacing, now, CancellationToken.None);
        // Creating the table, reading the missing row, adding it; then one conditional write per claim.
        Assert.Equal(3 + 49, schedule.Transactions);

        // A second process claims in between: the first one's kept ETag is stale, its write fails once and it learns to read first.
        var other = new TableTurnSchedule(LocalStorage.Clients(azurite));
        var before = schedule.Transactions;
        var last = now;
        for (var i = 0; i < 20; i++)
        {
            await other.ClaimAsync("site", 1, Spacing, now, CancellationToken.None);
            var mine = await schedule.ClaimAsync("site", 1, Spacing, now, CancellationToken.None);
            Assert.True(mine > last);
            last = mine;
        }
        var perClaim = (schedule.Transactions - before) / 20.0;
        Assert.InRange(perClaim, 2, 2.5); // a read and a write, after the first few races
    }
}
