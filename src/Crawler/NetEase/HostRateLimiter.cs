using FunctionsCrawler.Storage;
using System.Collections.Concurrent;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// Spaces the requests to each politeness group so no second (bursts included) sees more than the limit.
/// The rate follows <see cref="SitePushback.RateFactor"/> after a block, which is why this is a small pacer
/// rather than a fixed-rate System.Threading.RateLimiting limiter (whose rate cannot change once built).
/// <para>
/// Without a <paramref name="shared"/> schedule the limit holds in this process: one request at a time per
/// group, turns at least <c>1 / rate</c> apart. With one (<see cref="TableTurnSchedule"/>), it holds across
/// every process that shares the schedule: a process claims a lease of a few consecutive slots of the group's
/// schedule and spends them here; a slot whose timer fired more than <see cref="LateTolerance"/> late is given
/// up rather than sent late, so each request leaves within its slot and the slots' spacing bounds any window.
/// </para>
/// <para>
/// No request leaves while the crawl is paused: one waiting here when a block is seen waits with the pause (or, for a
/// pause longer than <see cref="LongestWaitInPacer"/>, throws <see cref="SitePausedException"/> so its work goes back to
/// its queue), so a block costs the site only the requests already in flight. On a shared schedule each departure first
/// reads the group's pause (started a read's time before its slot), so a block one process announces
/// (<see cref="AnnouncePauseAsync"/>) stops the others before their next request.
/// </para>
/// </summary>
public sealed class HostRateLimiter(double requestsPerSecond, SitePushback pushback, TimeProvider time,
    ITurnSchedule? shared = null, TimeSpan clockSkew = default)
{
    private readonly ConcurrentDictionary<string, Turns> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private long _skipped, _used, _claims, _claimTicks;

    public double RequestsPerSecond { get; } = requestsPerSecond;

    /// <summary>Whether the limit holds across processes (a shared schedule) or in this process only.</summary>
    public bool IsShared => shared is not null;

    /// <summary>Shared slots this process gave up because its timer fired more than <see cref="LateTolerance"/> after them.</summary>
    public long SkippedTurns => Interlocked.Read(ref _skipped);

    /// <summary>Shared slots this process's requests left in.</summary>
    public long UsedTurns => Interlocked.Read(ref _used);

    /// <summary>Leases this process claimed on the shared schedule, and the time the claims took in all.</summary>
    public (long Count, TimeSpan Took) Claims => (Interlocked.Read(ref _claims), TimeSpan.FromTicks(Interlocked.Read(ref _claimTicks)));

    /// <summary>
    /// The politeness group a request counts against: the image CDN's hosts (p1…p4.music.126.net) are one
    /// group, since the same servers answer them all; any other host (with its port) is its own.
    /// </summary>
    public static string GroupOf(Uri url) =>
        url.Host.EndsWith(CoverHosts.ImageCdnSuffix, StringComparison.OrdinalIgnoreCase) ? CoverHosts.ImageCdnSuffix[1..] : url.Authority;

    /// <summary>5 ms over a second absorbs the lag between a request leaving and arriving at the server.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(1005);

    /// <summary>How late after its shared slot a request may still leave; a later one gives the slot up.</summary>
    public static readonly TimeSpan LateTolerance = TimeSpan.FromMilliseconds(25);

    /// <summary>A lease covers at most this much of the schedule (at least one turn).</summary>
    public static readonly TimeSpan LeaseLength = TimeSpan.FromMilliseconds(500);

    /// <summary>Most requests any window of <see cref="Window"/> may hold at this rate.</summary>
    public static int PerWindow(double rate) => (int)Math.Clamp(Math.Floor(rate), 1, 100_000);

    /// <summary>
    /// The shared schedule's slot spacing at this rate: <c>1 / rate</c>, or more when needed so that any
    /// <see cref="PerWindow"/> + 1 departures, each up to <see cref="LateTolerance"/> after its slot and on clocks
    /// up to <paramref name="clockSkew"/> apart, still span more than <see cref="Window"/>.
    /// </summary>
    public static TimeSpan SharedSpacing(double rate, TimeSpan clockSkew = default) =>
        TimeSpan.FromTicks(Math.Max((long)Math.Ceiling(TimeSpan.TicksPerSecond / rate),
            (long)Math.Ceiling((double)(Window + LateTolerance + clockSkew).Ticks / PerWindow(rate))));

    /// <summary>Processes that may queue on one shared schedule at once (Flex Consumption's default instance cap is 100).</summary>
    public const int MaxProcesses = 100;

    /// <summary>
    /// How far ahead of now the shared schedule's next free slot may honestly be: each process waits on at most one lease
    /// at a time, so every process's lease in a row (the longest lease at any rate the pushback may set) plus the clocks'
    /// skew. A row further ahead was written by a clock running ahead, or is corrupt, and is replaced.
    /// </summary>
    public static TimeSpan ScheduleHorizon(double rate, TimeSpan clockSkew = default)
    {
        var slowest = rate * SitePushback.MinRateFactor;
        var lease = Math.Max(LeaseTurns(rate) * SharedSpacing(rate, clockSkew).Ticks, LeaseTurns(slowest) * SharedSpacing(slowest, clockSkew).Ticks);
        return TimeSpan.FromTicks(MaxProcesses * (lease + clockSkew.Ticks));
    }

    /// <summary>How many turns one lease claims at most: half a second's worth, at least one.</summary>
    public static int LeaseTurns(double rate) => (int)Math.Clamp(Math.Floor(rate * LeaseLength.TotalSeconds), 1, 1000);

    /// <summary>
    /// Waits for this request's turn on the host. A pause that ends within <see cref="LongestWaitInPacer"/> is waited out
    /// here (the request then takes a turn at the rate after the pause, so work already done for it is not thrown away);
    /// a longer one throws <see cref="SitePausedException"/>, so the work goes back to its queue rather than holding an
    /// invocation for up to 30 minutes.
    /// </summary>
    public ValueTask WaitTurnAsync(string host, CancellationToken ct) =>
        shared is null ? LocalTurnAsync(host, ct) : SharedTurnAsync(shared, host, ct);

    /// <summary>The longest pause a request waits out in the pacer; past it the request is handed back.</summary>
    public static readonly TimeSpan LongestWaitInPacer = TimeSpan.FromSeconds(60);

    /// <summary>Requests handed back (<see cref="SitePausedException"/>) because the crawl was paused for longer than <see cref="LongestWaitInPacer"/>.</summary>
    public long HeldRequests => Interlocked.Read(ref _held);
    private long _held;

    /// <summary>Requests that waited out a pause in the pacer before their turn.</summary>
    public long WaitedOutPauses => Interlocked.Read(ref _waitedOut);
    private long _waitedOut;

    /// <summary>Waits while the crawl is paused, or throws <see cref="SitePausedException"/> when the pause ends too far ahead.</summary>
    private async ValueTask WaitOutPauseAsync(CancellationToken ct)
    {
        var counted = false;
        while (pushback.PausedUntil() is { } until)
        {
            var left = until - time.GetUtcNow();
            if (left > LongestWaitInPacer)
            {
                Interlocked.Increment(ref _held);
                throw new SitePausedException(until);
            }
            if (!counted) Interlocked.Increment(ref _waitedOut);
            counted = true;
            await Task.Delay(WholeMilliseconds(left), time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Tells every process on the shared schedule that the crawl is paused until <paramref name="until"/>, in each group
    /// this process has sent to (a no-op without a shared schedule: this process already knows).
    /// </summary>
    public async Task AnnouncePauseAsync(DateTimeOffset until, CancellationToken ct)
    {
        if (shared is null) return;
        foreach (var group in _hosts.Keys.ToList()) await shared.AnnouncePauseAsync(group, until, ct).ConfigureAwait(false);
    }

    private async ValueTask LocalTurnAsync(string host, CancellationToken ct)
    {
        var turns = _hosts.GetOrAdd(host, _ => new Turns());
        var window = (long)(Window.TotalSeconds * time.TimestampFrequency);
        // One request at a time takes its turn. Turns are evenly spaced on the schedule (a late timer does
        // not push every later turn back), and on the real departure times no window of 1.005 s ever holds
        // more than the limit: that is what the site measures, and it holds however late a timer fires.
        await turns.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                await WaitOutPauseAsync(ct).ConfigureAwait(false);
                var rate = RequestsPerSecond * pushback.RateFactor(); // after a pause: the lowered rate
                var ticks = (long)(time.TimestampFrequency / rate);
                var perWindow = (int)Math.Clamp(Math.Floor(rate), 1, 100_000);
                var now = time.GetTimestamp();
                var turn = Math.Max(now, turns.Next);
                if (turns.Departures.Count >= perWindow)
                    turn = Math.Max(turn, turns.Departures.ElementAt(turns.Departures.Count - perWindow) + window);
                if (turn > now) await Task.Delay(WholeMilliseconds(time.GetElapsedTime(now, turn)), time, ct).ConfigureAwait(false);
                if (pushback.PausedUntil() is not null) continue; // a block seen while it waited: it waits with the pause
                turns.Departures.Enqueue(time.GetTimestamp());
                while (turns.Departures.Count > perWindow) turns.Departures.Dequeue();
                turns.Next = turn + ticks;
                return;
            }
        }
        finally
        {
            turns.Gate.Release();
        }
    }

    private async ValueTask SharedTurnAsync(ITurnSchedule schedule, string group, CancellationToken ct)
    {
        var turns = _hosts.GetOrAdd(group, _ => new Turns());
        Interlocked.Increment(ref turns.Waiting);
        try
        {
            await turns.Gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                while (true)
                {
                    if (pushback.PausedUntil() is not null)
                    {
                        // A pause seen here (a block, or read from the shared row): nothing leaves, and no lease is claimed
                        // for slots that would pass during it; the slots of the lease in hand pass unused.
                        turns.Lease.Clear();
                        await WaitOutPauseAsync(ct).ConfigureAwait(false);
                        continue;
                    }
                    var now = time.GetUtcNow();
                    while (turns.Lease.TryPeek(out var missed) && missed + LateTolerance < now)
                    {
                        turns.Lease.Dequeue();
                        Interlocked.Increment(ref _skipped);
                    }
                    if (!turns.Lease.TryPeek(out var slot))
                    {
                        await ClaimAsync(schedule, group, turns, now, ct).ConfigureAwait(false);
                        continue;
                    }
                    if (turns.PauseReadFor != slot)
                    {
                        // Read the shared pause once per slot, starting a read's time before it, while the timer runs to the
                        // slot (a read that takes no time, as on a schedule in this process, is made at the slot).
                        var lead = turns.PauseReadTime > TimeSpan.Zero ? turns.PauseReadTime + PauseReadMargin : TimeSpan.Zero;
                        if (slot - now > lead)
                        {
                            await Task.Delay(WholeMilliseconds(slot - now - lead), time, ct).ConfigureAwait(false);
                            continue;
                        }
                        turns.PauseReadFor = slot;
                        turns.PauseRead = ReadPauseAsync(schedule, group, turns, ct);
                        turns.PauseReadAwaited = false;
                        continue;
                    }
                    if (slot > now)
                    {
                        await Task.Delay(WholeMilliseconds(slot - now), time, ct).ConfigureAwait(false);
                        continue; // check again: too late now, or (a timer that fired early) not yet
                    }
                    if (turns.PauseRead is { IsCompleted: false } reading && !turns.PauseReadAwaited)
                    {
                        // A read slower than the last: wait for it while the slot is still good, then go with what is known.
                        turns.PauseReadAwaited = true;
                        var left = slot + LateTolerance - PauseReadMargin - now;
                        if (left > TimeSpan.Zero)
                            await Task.WhenAny(reading, Task.Delay(WholeMilliseconds(left), time, ct)).ConfigureAwait(false);
                        continue;
                    }
                    if (pushback.PausedUntil() is not null) continue; // the read found a pause: waited out above
                    turns.Lease.Dequeue();
                    Interlocked.Increment(ref _used);
                    return;
                }
            }
            finally
            {
                turns.Gate.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref turns.Waiting);
        }
    }

    /// <summary>
    /// A wait rounded up to whole milliseconds: Task.Delay drops the fraction, so its timer would fire before the turn,
    /// and the sub-millisecond wait left would be a zero delay, spinning until the turn.
    /// </summary>
    private static TimeSpan WholeMilliseconds(TimeSpan wait) =>
        TimeSpan.FromTicks((wait.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond);

    /// <summary>Added to the last pause read's duration to start the next one before its slot.</summary>
    private static readonly TimeSpan PauseReadMargin = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Reads the group's shared pause and adopts it when it is still on and no further ahead than any block could ask
    /// (<see cref="SitePushback.MaxPause"/>; a clock running ahead, or a corrupt row, must not stop every process).
    /// </summary>
    private async Task ReadPauseAsync(ITurnSchedule schedule, string group, Turns turns, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        DateTimeOffset? until;
        try
        {
            until = await schedule.ReadPauseAsync(group, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage did not answer: the request goes with what this process knows (its next claim meets the same fault).
            return;
        }
        var took = time.GetElapsedTime(started);
        turns.PauseReadTime = took < TimeSpan.FromSeconds(1) ? took : TimeSpan.FromSeconds(1);
        Interlocked.Increment(ref _pauseReads);
        var now = time.GetUtcNow();
        if (until is { } paused && paused > now && paused <= now + SitePushback.MaxPause + clockSkew) pushback.PauseUntil(paused);
    }

    /// <summary>Reads of the shared pause this process made (one per departure on a shared schedule).</summary>
    public long PauseReads => Interlocked.Read(ref _pauseReads);
    private long _pauseReads;

    /// <summary>
    /// Claims as many turns as requests wait here (at most half a second's worth), starting no earlier than
    /// the last claim took to answer from now, so the first turn is not already late when the claim returns.
    /// </summary>
    private async Task ClaimAsync(ITurnSchedule schedule, string group, Turns turns, DateTimeOffset now, CancellationToken ct)
    {
        var rate = RequestsPerSecond * pushback.RateFactor();
        var spacing = SharedSpacing(rate, clockSkew);
        var count = Math.Clamp(Volatile.Read(ref turns.Waiting), 1, LeaseTurns(rate));
        var started = time.GetTimestamp();
        var first = await schedule.ClaimAsync(group, count, spacing, now + turns.ClaimTime, now + ScheduleHorizon(RequestsPerSecond, clockSkew), ct).ConfigureAwait(false);
        var took = time.GetElapsedTime(started);
        turns.ClaimTime = took < TimeSpan.FromSeconds(1) ? took : TimeSpan.FromSeconds(1);
        for (var i = 0; i < count; i++) turns.Lease.Enqueue(first + i * spacing);
        Interlocked.Increment(ref _claims);
        Interlocked.Add(ref _claimTicks, took.Ticks);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A politeness group's turns live as long as the process's limiter.")]
    private sealed class Turns
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public readonly Queue<long> Departures = new();
        public long Next;
        // Shared schedule: the turns of this process's current lease, the requests waiting, the last claim's duration.
        public readonly Queue<DateTimeOffset> Lease = new();
        public int Waiting;
        public TimeSpan ClaimTime;
        // The slot whose departure the shared pause was last read for, and how long that read took.
        public DateTimeOffset PauseReadFor;
        public TimeSpan PauseReadTime;
        public Task? PauseRead;
        public bool PauseReadAwaited;
    }
}
