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

    /// <summary>The pacer's horizon at 10 req/s: far past any queue these claims build.</summary>
    private static DateTimeOffset Horizon(DateTimeOffset now) => now + HostRateLimiter.ScheduleHorizon(10);

    /// <summary>The warning lines a schedule writes.</summary>
    private sealed class Lines : Microsoft.Extensions.Logging.ILogger<TableTurnSchedule>
    {
        public ConcurrentQueue<string> Warnings { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning) Warnings.Enqueue(formatter(state, exception));
        }
    }

    [Theory]
    [InlineData(long.MaxValue)]    // threw on every request before: the next slot overflowed
    [InlineData(36_000_000_000L)]  // an hour ahead: a process whose clock runs ahead wrote it
    [InlineData(-1L)]              // not a number of ticks at all: a corrupt row
    public async Task A_next_turn_past_the_horizon_is_replaced_with_now_in_one_warning_line(long ahead)
    {
        var azurite = azurites.NewAccount();
        var lines = new Lines();
        var schedule = new TableTurnSchedule(LocalStorage.Clients(azurite), lines);
        var table = LocalStorage.Clients(azurite).Tables.GetTableClient(TableTurnSchedule.Name);
        await table.CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        var row = new Azure.Data.Tables.TableEntity(TableTurnSchedule.Partition, "site")
        {
            ["NextTurnAt"] = ahead == -1 ? "soon" : ahead == long.MaxValue ? long.MaxValue : now.UtcTicks + ahead,
        };
        await table.UpsertEntityAsync(row);

        Assert.Equal(now, await schedule.ClaimAsync("site", 2, Spacing, now, Horizon(now), CancellationToken.None));
        Assert.Equal(now.UtcTicks + 2 * Spacing.Ticks, (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(TableTurnSchedule.Partition, "site")).Value.GetInt64("NextTurnAt"));
        // The next claims queue after it as usual, and the line is not repeated.
        Assert.Equal(now + 2 * Spacing, await schedule.ClaimAsync("site", 1, Spacing, now, Horizon(now), CancellationToken.None));
        var line = Assert.Single(lines.Warnings);
        Assert.Contains("the shared schedule of site had its next turn", line);
        Assert.Contains("replaced with now", line);
        Assert.Equal(1, schedule.Replaced);
    }

    [Fact]
    public async Task A_next_turn_within_the_horizon_is_kept_however_far_other_processes_queued()
    {
        var azurite = azurites.NewAccount();
        var lines = new Lines();
        var schedule = new TableTurnSchedule(LocalStorage.Clients(azurite), lines);
        var table = LocalStorage.Clients(azurite).Tables.GetTableClient(TableTurnSchedule.Name);
        await table.CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        var queued = now + TimeSpan.FromSeconds(30); // dozens of processes' leases ahead of this one
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(TableTurnSchedule.Partition, "site") { ["NextTurnAt"] = queued.UtcTicks });

        Assert.Equal(queued, await schedule.ClaimAsync("site", 1, Spacing, now, Horizon(now), CancellationToken.None));
        Assert.Empty(lines.Warnings);
        Assert.Equal(0, schedule.Replaced);
    }

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
                var first = await schedule.ClaimAsync("site:5080", turns, Spacing, now, Horizon(now), CancellationToken.None);
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
        Assert.Equal(now, await schedules[0].ClaimAsync("music.126.net", 1, Spacing, now, Horizon(now), CancellationToken.None));
    }

    [Fact]
    public async Task One_process_alone_pays_one_transaction_per_claim()
    {
        var azurite = azurites.NewAccount();
        var schedule = new TableTurnSchedule(LocalStorage.Clients(azurite));
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 50; i++) await schedule.ClaimAsync("site", 2, Spacing, now, Horizon(now), CancellationToken.None);
        // Creating the table, reading the missing row, adding it; then one conditional write per claim.
        Assert.Equal(3 + 49, schedule.Transactions);

        // A second process claims in between: the first one's kept ETag is stale, its write fails once and it learns to read first.
        var other = new TableTurnSchedule(LocalStorage.Clients(azurite));
        var before = schedule.Transactions;
        var last = now;
        for (var i = 0; i < 20; i++)
        {
            await other.ClaimAsync("site", 1, Spacing, now, Horizon(now), CancellationToken.None);
            var mine = await schedule.ClaimAsync("site", 1, Spacing, now, Horizon(now), CancellationToken.None);
            Assert.True(mine > last);
            last = mine;
        }
        var perClaim = (schedule.Transactions - before) / 20.0;
        Assert.InRange(perClaim, 2, 2.5); // a read and a write, after the first few races
    }

    [Fact]
    public async Task A_pause_one_process_announces_is_read_by_the_others_and_claims_leave_it_alone()
    {
        var azurite = azurites.NewAccount();
        var seeing = new TableTurnSchedule(LocalStorage.Clients(azurite));
        var other = new TableTurnSchedule(LocalStorage.Clients(azurite));
        var now = DateTimeOffset.UtcNow;
        Assert.Null(await other.ReadPauseAsync("site", CancellationToken.None)); // no row yet

        await seeing.ClaimAsync("site", 2, Spacing, now, Horizon(now), CancellationToken.None);
        var until = new DateTimeOffset(now.UtcTicks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.Zero) + TimeSpan.FromSeconds(30);
        await seeing.AnnouncePauseAsync("site", until, CancellationToken.None);
        Assert.Equal(until, await other.ReadPauseAsync("site", CancellationToken.None));

        // Claims on either side keep the pause and the schedule: the next slot follows the two claimed before.
        var slot = await other.ClaimAsync("site", 1, Spacing, now, Horizon(now), CancellationToken.None);
        Assert.Equal(now + 2 * Spacing, slot);
        await seeing.ClaimAsync("site", 1, Spacing, now, Horizon(now), CancellationToken.None);
        Assert.Equal(until, await other.ReadPauseAsync("site", CancellationToken.None));

        // A shorter pause (a request in flight when the first block came) does not shorten it; a longer one (its Retry-After) does.
        await other.AnnouncePauseAsync("site", until - TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(until, await seeing.ReadPauseAsync("site", CancellationToken.None));
        await other.AnnouncePauseAsync("site", until + TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(until + TimeSpan.FromSeconds(10), await seeing.ReadPauseAsync("site", CancellationToken.None));
        Assert.Equal(now + 4 * Spacing, await seeing.ClaimAsync("site", 1, Spacing, now, Horizon(now), CancellationToken.None));
    }
}
