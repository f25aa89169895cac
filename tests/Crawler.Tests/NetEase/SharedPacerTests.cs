using System.Collections.Concurrent;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FunctionsCrawler.Tests.NetEase;

/// <summary>The shared schedule's slot arithmetic: processes (here, limiters) sharing one schedule keep one rate.</summary>
public sealed class SharedPacerTests
{
    private const string Site = "music.163.com";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SitePushback Pushback(TimeProvider time, double firstPauseSeconds = 30) =>
        new(Options.Create(new NetEaseOptions { BlockPauseSeconds = firstPauseSeconds }), time);

    /// <summary>Counts the claims and the turns they asked for.</summary>
    private sealed class CountingSchedule(ITurnSchedule inner) : ITurnSchedule
    {
        public int Claims;
        public int Turns;

        public DateTimeOffset NotAfter;

        public Task<DateTimeOffset> ClaimAsync(string group, int turns, TimeSpan spacing, DateTimeOffset notBefore, DateTimeOffset notAfter, CancellationToken ct)
        {
            Interlocked.Increment(ref Claims);
            Interlocked.Add(ref Turns, turns);
            NotAfter = notAfter;
            return inner.ClaimAsync(group, turns, spacing, notBefore, notAfter, ct);
        }

        public Task<DateTimeOffset?> ReadPauseAsync(string group, CancellationToken ct) => inner.ReadPauseAsync(group, ct);

        public Task AnnouncePauseAsync(string group, DateTimeOffset until, CancellationToken ct) => inner.AnnouncePauseAsync(group, until, ct);
    }

    [Theory]
    [InlineData(10, 0, 103)]      // (1.005 s + 25 ms late) / 10: any 11 departures span more than 1.005 s
    [InlineData(10, 5, 103.5)]    // clocks 5 ms apart: 5 ms more per 10 turns
    [InlineData(2, 0, 515)]
    [InlineData(2.5, 0, 515)]     // at most 2 in any second, as in-process
    [InlineData(0.2, 0, 5000)]    // slow rates keep 1 / rate
    [InlineData(100, 0, 10.3)]
    public void Slots_are_spaced_so_no_window_can_hold_more_than_the_limit(double rate, double skewMs, double expectedMs)
    {
        var spacing = HostRateLimiter.SharedSpacing(rate, TimeSpan.FromMilliseconds(skewMs));
        Assert.Equal(expectedMs, spacing.TotalMilliseconds, 3);
        // The bound itself: limit + 1 departures, each up to the tolerance late and skewed, span over 1.005 s.
        var perWindow = HostRateLimiter.PerWindow(rate);
        Assert.True(perWindow * spacing.TotalMilliseconds - HostRateLimiter.LateTolerance.TotalMilliseconds - skewMs >= 1005 - 1e-9);
    }

    [Theory]
    [InlineData(10, 5)]
    [InlineData(2, 1)]
    [InlineData(0.2, 1)]
    [InlineData(40, 20)]
    public void A_lease_is_half_a_second_of_turns_at_least_one(double rate, int turns) =>
        Assert.Equal(turns, HostRateLimiter.LeaseTurns(rate));

    [Theory]
    [InlineData(2, 5, 500.5)]   // at the slowest rate a block leaves (0.2 req/s) a lease is one 5 s slot: 100 of them
    [InlineData(10, 5, 104)]    // 1 req/s at the slowest: a 1.035 s slot
    public void The_horizon_allows_every_process_one_lease_at_the_slowest_rate(double rate, double skewMs, double seconds) =>
        Assert.Equal(seconds, HostRateLimiter.ScheduleHorizon(rate, TimeSpan.FromMilliseconds(skewMs)).TotalSeconds, 3);

    [Fact]
    public async Task A_next_turn_past_the_horizon_is_not_waited_for_one_within_it_is()
    {
        var time = new FakeTimeProvider(Start);
        var inner = new InProcessTurnSchedule();
        var schedule = new CountingSchedule(inner);
        var pacer = new HostRateLimiter(10, Pushback(time), time, schedule, TimeSpan.FromMilliseconds(5));
        var horizon = HostRateLimiter.ScheduleHorizon(10, TimeSpan.FromMilliseconds(5));
        // A process whose clock runs an hour ahead claimed the site's next slot; other processes queued 30 s on the CDN.
        await inner.ClaimAsync(Site, 1, TimeSpan.FromSeconds(1), Start + TimeSpan.FromHours(1), DateTimeOffset.MaxValue, CancellationToken.None);
        await inner.ClaimAsync("music.126.net", 1, TimeSpan.FromSeconds(1), Start + TimeSpan.FromSeconds(29), DateTimeOffset.MaxValue, CancellationToken.None);

        await pacer.WaitTurnAsync(Site, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5)); // at once, on the fake clock
        Assert.Equal(Start, time.GetUtcNow());
        Assert.Equal(Start + horizon, schedule.NotAfter);

        var cdn = pacer.WaitTurnAsync("music.126.net", CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(cdn.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));
        await cdn.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Two_processes_take_alternate_slots_of_one_schedule()
    {
        var time = new FakeTimeProvider(Start);
        var schedule = new InProcessTurnSchedule();
        var a = new HostRateLimiter(10, Pushback(time), time, schedule);
        var b = new HostRateLimiter(10, Pushback(time), time, schedule);
        var spacing = HostRateLimiter.SharedSpacing(10);

        await a.WaitTurnAsync(Site, CancellationToken.None); // an idle schedule: the first slot is now
        var second = b.WaitTurnAsync(Site, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted); // b's slot is the next one, a spacing later, though b never waited before
        time.Advance(spacing - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(Start + spacing, time.GetUtcNow());

        // Another group has its own schedule: no wait.
        Assert.True(a.WaitTurnAsync("music.126.net", CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task A_block_one_process_sees_stops_the_others_before_their_next_request()
    {
        var time = new FakeTimeProvider(Start);
        var schedule = new InProcessTurnSchedule();
        var (seeing, other) = (Pushback(time), Pushback(time));
        var a = new HostRateLimiter(10, seeing, time, schedule);
        var b = new HostRateLimiter(10, other, time, schedule);
        var spacing = HostRateLimiter.SharedSpacing(10);
        await a.WaitTurnAsync(Site, CancellationToken.None);
        var next = b.WaitTurnAsync(Site, CancellationToken.None).AsTask(); // b's slot is a spacing later
        Assert.False(next.IsCompleted);

        var until = seeing.OnBlocked(); // a's answer is a block: a pauses and tells the schedule
        await a.AnnouncePauseAsync(until, CancellationToken.None);
        time.Advance(spacing);
        await Task.Delay(50);
        Assert.False(next.IsCompleted); // b read the pause before its slot: it waits with it
        Assert.Equal(until, other.PausedUntil());

        time.Advance(until - time.GetUtcNow());
        for (var i = 0; i < 50 && !next.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100)); // after the pause b claims afresh and goes at its slot
            await Task.Delay(10);
        }
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(time.GetUtcNow() >= until);
        Assert.Equal(1, b.WaitedOutPauses);
    }

    [Fact]
    public async Task While_paused_a_waiting_request_claims_no_lease_on_the_shared_schedule()
    {
        var time = new FakeTimeProvider(Start);
        var schedule = new CountingSchedule(new InProcessTurnSchedule());
        var pushback = Pushback(time, firstPauseSeconds: 300); // longer than a request waits in the pacer: handed back
        var a = new HostRateLimiter(10, pushback, time, schedule);
        await a.WaitTurnAsync(Site, CancellationToken.None);
        var claims = schedule.Claims;
        var waiting = Enumerable.Range(0, 3).Select(_ => a.WaitTurnAsync(Site, CancellationToken.None).AsTask()).ToList();
        pushback.OnBlocked();
        time.Advance(TimeSpan.FromSeconds(1));
        foreach (var request in waiting)
        {
            try { await request.WaitAsync(TimeSpan.FromSeconds(5)); }
            catch (SitePausedException) { } // held, as every one queued behind the block
        }
        Assert.Equal(3, a.HeldRequests);
        Assert.InRange(schedule.Claims - claims, 0, 1); // at most the lease claimed before the block; none after
    }

    [Fact]
    public async Task A_shared_pause_further_ahead_than_any_block_could_ask_is_ignored()
    {
        var time = new FakeTimeProvider(Start);
        var schedule = new InProcessTurnSchedule();
        await schedule.AnnouncePauseAsync(Site, Start + SitePushback.MaxPause + TimeSpan.FromHours(1), CancellationToken.None); // a clock running ahead
        var pushback = Pushback(time);
        var a = new HostRateLimiter(10, pushback, time, schedule);
        await a.WaitTurnAsync(Site, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Null(pushback.PausedUntil());
    }

    [Fact]
    public async Task A_slot_whose_timer_fired_too_late_is_given_up_not_sent_late()
    {
        var time = new FakeTimeProvider(Start);
        var schedule = new CountingSchedule(new InProcessTurnSchedule());
        var a = new HostRateLimiter(10, Pushback(time), time, schedule);
        var spacing = HostRateLimiter.SharedSpacing(10);
        await a.WaitTurnAsync(Site, CancellationToken.None);
        var late = a.WaitTurnAsync(Site, CancellationToken.None).AsTask(); // slot at Start + spacing
        Assert.False(late.IsCompleted);

        // The timer fires 100 ms after the slot (over the 25 ms tolerance): leaving now could put 11 requests in one second at the site.
        time.Advance(spacing + TimeSpan.FromMilliseconds(100));
        await WaitUntilAsync(() => a.SkippedTurns == 1 && schedule.Claims == 3);
        await Task.Delay(50);
        Assert.False(late.IsCompleted);
        // It claimed the schedule's next free slot instead, two spacings from the start.
        time.Advance(Start + 2 * spacing - time.GetUtcNow());
        await late.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, a.SkippedTurns);
    }

    [Fact]
    public async Task A_lease_holds_as_many_turns_as_requests_wait_up_to_half_a_second()
    {
        var time = new SteppedClock(Start);
        var schedule = new CountingSchedule(new InProcessTurnSchedule());
        var a = new HostRateLimiter(20, Pushback(time), time, schedule); // leases of up to 10 turns
        var done = 0;
        var waits = Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            await a.WaitTurnAsync(Site, CancellationToken.None);
            Interlocked.Increment(ref done);
        }));
        // Fake time moves from one turn to the next (no timer ever late), until every request has had its turn.
        await time.RunAsync(waits, () => waits.IsCompleted ? 0 : 1, () => Volatile.Read(ref done), Volatile.Read(ref done), _ => TimeSpan.Zero);
        await waits;
        Assert.Equal(0, a.SkippedTurns);
        Assert.Equal(30, schedule.Turns);  // no turn claimed and left unused
        Assert.InRange(schedule.Claims, 3, 5); // the first claim had 1 waiter or a few; then full leases of 10
    }

    [Fact]
    public async Task Three_processes_on_one_schedule_never_exceed_the_limit_in_any_window()
    {
        var time = new SteppedClock(Start);
        var schedule = new InProcessTurnSchedule();
        var limiters = Enumerable.Range(0, 3).Select(_ => new HostRateLimiter(40, Pushback(time), time, schedule)).ToArray();
        var departures = new ConcurrentQueue<DateTimeOffset>();
        var left = new[] { 40, 40, 40 };
        // 40 requests at once in each process: three in-process pacers would send 120 in the first second.
        var all = Task.WhenAll(limiters.SelectMany((limiter, process) => Enumerable.Range(0, 40).Select(async _ =>
        {
            await limiter.WaitTurnAsync(Site, CancellationToken.None);
            departures.Enqueue(time.GetUtcNow());
            Interlocked.Decrement(ref left[process]);
        })));
        // Timers fire on time or up to 20 ms late (within the 25-ms tolerance): each request may leave late in its slot.
        await time.RunAsync(all, () => Enumerable.Range(0, 3).Count(p => Volatile.Read(ref left[p]) > 0), () => departures.Count, departures.Count,
            step => TimeSpan.FromMilliseconds((step % 3) switch { 0 => 20, 1 => 7, _ => 0 }));
        await all;

        var sorted = departures.Order().ToArray();
        Assert.Equal(120, sorted.Length);
        for (var i = 0; i + 40 < sorted.Length; i++)
            Assert.True(sorted[i + 40] - sorted[i] >= TimeSpan.FromSeconds(1), $"41 requests within {(sorted[i + 40] - sorted[i]).TotalMilliseconds:0} ms");
        // Politeness efficiency: every process had work waiting throughout, so the schedule's slots were all used
        // (119 gaps at 40 a second is 2.975 s; a timer late by up to 20 ms costs no slot).
        var efficiency = (sorted.Length - 1) / (sorted[^1] - sorted[0]).TotalSeconds / 40;
        Assert.True(efficiency >= 0.95, $"politeness efficiency {efficiency:0.000} < 0.95 ({sorted.Length} requests in {(sorted[^1] - sorted[0]).TotalSeconds:0.000} s)");
        Assert.All(limiters, limiter => Assert.Equal(0, limiter.SkippedTurns)); // a timer within the tolerance costs no turn
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
