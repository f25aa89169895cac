using System.Diagnostics;
using Xunit;

namespace FunctionsCrawler.Tests.NetEase;

/// <summary>
/// A fake clock that a test moves from one pacer turn to the next (or past it, as a late timer), so every departure
/// is read on the fake clock: no real sleep, no real-clock jitter between a turn and the stamp a test puts on it.
/// Its timers fire on the thread pool, as real ones do. (FakeTimeProvider's timers fire inside SetUtcNow, where a
/// pacer continuing inline that reads the clock again spins.)
/// </summary>
internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<Timer> _pending = [];
    private DateTimeOffset _now = start;
    private int _fired;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Sets the time and fires, in due order, every timer due by then.</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        List<Timer> due;
        lock (_gate)
        {
            Assert.True(value >= _now, "time only moves forward");
            _now = value;
            due = [.. _pending.Where(t => t.Due <= value).OrderBy(t => t.Due)];
            foreach (var timer in due)
            {
                _pending.Remove(timer);
                _fired++;
                if (timer.Period > TimeSpan.Zero) Schedule(timer, timer.Due + timer.Period, timer.Period);
            }
        }
        foreach (var timer in due) ThreadPool.UnsafeQueueUserWorkItem(t => t.Fire(), timer, preferLocal: false);
    }

    /// <summary>
    /// Moves time through <paramref name="work"/>: waits until <paramref name="waiting"/> timers are pending (one per
    /// pacer with requests left) and every fired timer's departure is recorded (<paramref name="recorded"/> equals
    /// <paramref name="recordedWithoutTimer"/> plus the timers fired), then moves to the earliest one plus
    /// <paramref name="lateness"/> of that step.
    /// </summary>
    public async Task RunAsync(Task work, Func<int> waiting, Func<int> recorded, int recordedWithoutTimer, Func<int, TimeSpan> lateness)
    {
        for (var step = 0; ; step++)
        {
            DateTimeOffset? next = null;
            var waited = Stopwatch.StartNew();
            while (true)
            {
                lock (_gate)
                {
                    var settled = recorded() == recordedWithoutTimer + _fired;
                    if (settled && work.IsCompleted) return;
                    if (settled && _pending.Count > 0 && _pending.Count >= waiting())
                        next = _pending.Min(t => t.Due);
                    Assert.True(next is not null || waited.Elapsed < TimeSpan.FromSeconds(10),
                        $"step {step}: the pacers neither finished nor waited for a turn ({_pending.Count} timers pending for "
                        + $"{waiting()} pacers, {recorded()} departures for {recordedWithoutTimer} + {_fired} timers fired)");
                }
                if (next is not null) break;
                await Task.Delay(1); // real time, only for the pool's threads to get there
            }
            SetUtcNow(next.Value + lateness(step));
        }
    }

    private void Schedule(Timer timer, DateTimeOffset? due, TimeSpan period)
    {
        lock (_gate)
        {
            _pending.Remove(timer);
            timer.Due = due ?? DateTimeOffset.MaxValue;
            timer.Period = period;
            if (due is not null) _pending.Add(timer);
        }
    }

    private sealed class Timer(SteppedClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due { get; set; }
        public TimeSpan Period { get; set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Schedule(this, dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime,
                period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period);
            if (dueTime == TimeSpan.Zero) clock.SetUtcNow(clock.GetUtcNow()); // due now: fires at once
            return true;
        }

        public void Dispose() => clock.Schedule(this, null, TimeSpan.Zero);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
