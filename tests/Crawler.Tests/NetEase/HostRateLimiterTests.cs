using System.Collections.Concurrent;
using System.Diagnostics;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using Microsoft.Extensions.Options;
using Xunit;

namespace FunctionsCrawler.Tests.NetEase;

public sealed class HostRateLimiterTests
{
    private static SitePushback Pushback(double firstPauseSeconds = 30) =>
        new(Options.Create(new NetEaseOptions { BlockPauseSeconds = firstPauseSeconds }), TimeProvider.System);

    [Fact]
    public async Task Concurrent_requests_to_one_host_never_exceed_the_rate_in_any_second()
    {
        var limiter = new HostRateLimiter(50, Pushback(), TimeProvider.System);
        var clock = Stopwatch.StartNew();
        var turns = new ConcurrentBag<double>();
        // 60 requests at once: a limiter that let a burst through would pass many in the first milliseconds.
        await Task.WhenAll(Enumerable.Range(0, 60).Select(async _ =>
        {
            await limiter.WaitTurnAsync("music.163.com", CancellationToken.None);
            turns.Add(clock.Elapsed.TotalMilliseconds);
        }));
        var sorted = turns.Order().ToArray();
        // No 51 requests within one second, wherever the second starts.
        for (var i = 0; i + 50 < sorted.Length; i++)
            Assert.True(sorted[i + 50] - sorted[i] >= 1000, $"51 requests within {sorted[i + 50] - sorted[i]:0} ms from turn {i}");
    }

    [Fact]
    public async Task Different_hosts_do_not_wait_for_each_other()
    {
        var limiter = new HostRateLimiter(1, Pushback(), TimeProvider.System);
        var clock = Stopwatch.StartNew();
        await limiter.WaitTurnAsync("music.163.com", CancellationToken.None);
        await limiter.WaitTurnAsync("p1.music.126.net", CancellationToken.None);
        Assert.True(clock.ElapsedMilliseconds < 500);
    }

    [Fact]
    public void A_block_pauses_doubles_the_next_pause_and_halves_the_rate()
    {
        var pushback = Pushback(firstPauseSeconds: 30);
        Assert.Null(pushback.PauseRemaining());
        Assert.Equal(1, pushback.RateFactor());
        var until = pushback.OnBlocked();
        Assert.InRange((until - DateTimeOffset.UtcNow).TotalSeconds, 29, 30.5);
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
        var pushback = Pushback(firstPauseSeconds: 30);
        var until = pushback.OnBlocked(TimeSpan.FromSeconds(retryAfterSeconds));
        Assert.InRange((until - DateTimeOffset.UtcNow).TotalSeconds, expectedSeconds - 1, expectedSeconds + 0.5);
    }

    [Fact]
    public void A_block_during_a_pause_keeps_its_own_retry_after()
    {
        var pushback = Pushback(firstPauseSeconds: 30);
        var first = pushback.OnBlocked(TimeSpan.FromSeconds(2));
        Assert.Equal(first, pushback.OnBlocked()); // without Retry-After: the pause stands
        var later = pushback.OnBlocked(TimeSpan.FromSeconds(10)); // a request that was in flight asks for longer
        Assert.InRange((later - first).TotalSeconds, 7.5, 8.5);
    }
}
