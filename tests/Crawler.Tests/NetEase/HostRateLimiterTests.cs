using System.Collections.Concurrent;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FunctionsCrawler.Tests.NetEase;

public sealed class HostRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SitePushback Pushback(TimeProvider time, double firstPauseSeconds = 30) =>
        new(Options.Create(new NetEaseOptions { BlockPauseSeconds = firstPauseSeconds }), time);

    [Fact]
    public async Task Concurrent_requests_to_one_host_never_exceed_the_rate_in_any_second()
    {
        var time = new SteppedClock(Start);
        var limiter = new HostRateLimiter(50, Pushback(time), time);
        var departures = new ConcurrentQueue<DateTimeOffset>();
        // 120 requests at once: a limiter that let a burst through would pass many at the same instant.
        var all = Task.WhenAll(Enumerable.Range(0, 120).Select(async _ =>
        {
            await limiter.WaitTurnAsync("music.163.com", CancellationToken.None);
            departures.Enqueue(time.GetUtcNow());
        }));
        // Every third timer fires 15 ms late, as on a loaded machine: the turns after a late one must not bunch up with it.
        await time.RunAsync(all, () => all.IsCompleted ? 0 : 1, () => departures.Count, departures.Count,
            step => TimeSpan.FromMilliseconds(step % 3 == 0 ? 15 : 0));
        await all;

        var sorted = departures.Order().ToArray();
        Assert.Equal(120, sorted.Length);
        // No 51 requests within one second, wherever the second starts.
        for (var i = 0; i + 50 < sorted.Length; i++)
            Assert.True(sorted[i + 50] - sorted[i] >= TimeSpan.FromSeconds(1),
                $"51 requests within {(sorted[i + 50] - sorted[i]).TotalMilliseconds:0} ms from turn {i}");
    }

    [Fact]
    public async Task Different_hosts_do_not_wait_for_each_other()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new HostRateLimiter(1, Pushback(time), time);
        await limiter.WaitTurnAsync("music.163.com", CancellationToken.None);
        Assert.True(limiter.WaitTurnAsync("p1.music.126.net", CancellationToken.None).IsCompleted); // its own turn, at once
        var again = limiter.WaitTurnAsync("music.163.com", CancellationToken.None).AsTask();
        Assert.False(again.IsCompleted); // the same host waits its second (and the window's margin)
        time.Advance(TimeSpan.FromSeconds(2));
        await again.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_request_waiting_its_turn_when_a_block_is_seen_stays_here_until_the_pause_ends()
    {
        var time = new FakeTimeProvider(Start);
        var pushback = Pushback(time, firstPauseSeconds: 30);
        var limiter = new HostRateLimiter(1, pushback, time);
        await limiter.WaitTurnAsync("music.163.com", CancellationToken.None);
        var waiting = limiter.WaitTurnAsync("music.163.com", CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        var until = pushback.OnBlocked(); // the first request's answer: a block
        time.Advance(TimeSpan.FromSeconds(2)); // its turn comes during the pause: it does not leave
        var cover = limiter.WaitTurnAsync("p1.music.126.net", CancellationToken.None).AsTask(); // nor does a new one, to any host
        time.Advance(until - time.GetUtcNow() - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        Assert.False(cover.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1)); // the pause ends: both go, each at its turn
        await Task.WhenAll(waiting, cover).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(until, time.GetUtcNow());
        Assert.Equal(2, limiter.WaitedOutPauses);
        Assert.Equal(0, limiter.HeldRequests);
    }

    [Fact]
    public async Task A_pause_longer_than_a_minute_hands_the_request_back_instead_of_holding_it()
    {
        var time = new FakeTimeProvider(Start);
        var pushback = Pushback(time, firstPauseSeconds: 300);
        var limiter = new HostRateLimiter(1, pushback, time);
        var until = pushback.OnBlocked();
        var held = await Assert.ThrowsAsync<SitePausedException>(() => limiter.WaitTurnAsync("music.163.com", CancellationToken.None).AsTask());
        Assert.Equal(until, held.Until);
        Assert.Equal(1, limiter.HeldRequests);
    }

    [Fact]
    public void A_block_pauses_doubles_the_next_pause_and_halves_the_rate()
    {
        var time = new FakeTimeProvider(Start);
        var pushback = Pushback(time, firstPauseSeconds: 30);
        Assert.Null(pushback.PauseRemaining());
        Assert.Equal(1, pushback.RateFactor());
        var until = pushback.OnBlocked();
        Assert.Equal(Start + TimeSpan.FromSeconds(30), until);
        Assert.NotNull(pushback.PauseRemaining());
        Assert.Equal(0.5, pushback.RateFactor());
        Assert.Equal(until, pushback.OnBlocked()); // a block seen during the pause does not extend it
        Assert.Equal(TimeSpan.FromSeconds(60), pushback.Pause(2));
        Assert.Equal(TimeSpan.FromMinutes(30), pushback.Pause(12)); // capped
    }

    [Theory]
    [InlineData(7, 7)]
    [InlineData(0, 1)]            // "come back now" still pauses a second
    [InlineData(999_999_999, 1800)] // a hostile Retry-After is capped at the 30-minute pause
    public void A_retry_after_sets_the_pause_length(int retryAfterSeconds, int expectedSeconds)
    {
        var time = new FakeTimeProvider(Start);
        var pushback = Pushback(time, firstPauseSeconds: 30);
        var until = pushback.OnBlocked(TimeSpan.FromSeconds(retryAfterSeconds));
        Assert.Equal(Start + TimeSpan.FromSeconds(expectedSeconds), until);
    }

    [Fact]
    public void A_block_during_a_pause_keeps_its_own_retry_after()
    {
        var time = new FakeTimeProvider(Start);
        var pushback = Pushback(time, firstPauseSeconds: 30);
        var first = pushback.OnBlocked(TimeSpan.FromSeconds(2));
        Assert.Equal(first, pushback.OnBlocked()); // without Retry-After: the pause stands
        time.Advance(TimeSpan.FromSeconds(1));
        var later = pushback.OnBlocked(TimeSpan.FromSeconds(10)); // a request that was in flight asks for longer
        Assert.Equal(Start + TimeSpan.FromSeconds(11), later);
    }
}
