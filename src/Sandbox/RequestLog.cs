namespace FunctionsCrawler.Sandbox;

/// <summary>One request the site answered.</summary>
/// <param name="PathAndQuery">The path and query as the client sent them (percent-encoding kept).</param>
/// <param name="Kind">list, playlist, api, listApi, catalogue, songApi, cover, thumbnail or other.</param>
/// <param name="Outcome">ok, notFound, error (5xx from ErrorRate), blocked, failing-id, aborted (the client gave up) or badRequest (a song detail request the site refused).</param>
/// <param name="AnsweredAt">When the answer was written (for a dripping body: when it ended).</param>
public sealed record RequestLogEntry(
    DateTimeOffset ArrivedAt, string Method, string PathAndQuery, string Kind, int Status, string Outcome, DateTimeOffset AnsweredAt);

/// <summary>
/// Every site request (not /_sandbox/*), counted at arrival per whole second of wall-clock time,
/// so tests and /_sandbox/stats can check a crawler's politeness.
/// </summary>
public sealed class RequestLog
{
    internal const string BlockedOutcome = "blocked";

    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, int> _perSecond = [];
    private readonly Dictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byOutcome = new(StringComparer.Ordinal);
    private readonly List<RequestLogEntry> _entries = [];
    private readonly List<(DateTimeOffset At, string Kind)> _arrivals = [];
    private long _requests;

    /// <summary>Requests that arrived so far.</summary>
    public long Requests
    {
        get { lock (_gate) return _requests; }
    }

    /// <summary>The most requests that arrived within one whole second.</summary>
    public int MaxPerSecond
    {
        get { lock (_gate) return _perSecond.Count == 0 ? 0 : _perSecond.Values.Max(); }
    }

    /// <summary>Arrivals per whole second (Unix seconds), oldest first; seconds without requests are left out.</summary>
    public IReadOnlyList<(long Second, int Count)> PerSecond()
    {
        lock (_gate) return [.. _perSecond.Select(pair => (pair.Key, pair.Value))];
    }

    /// <summary>
    /// Arrival times at or after <paramref name="since"/>, oldest first: what a sliding one-second window is
    /// counted on (a request still being answered included).
    /// </summary>
    public IReadOnlyList<DateTimeOffset> ArrivalsSince(DateTimeOffset since, Func<string, bool>? ofKind = null)
    {
        lock (_gate)
        {
            var from = _arrivals.FindIndex(arrived => arrived.At >= since);
            return from < 0 ? [] : [.. _arrivals.Skip(from).Where(a => ofKind?.Invoke(a.Kind) != false).Select(a => a.At)];
        }
    }

    /// <summary>Arrivals by kind: list, playlist, api, cover, thumbnail, other.</summary>
    public IReadOnlyDictionary<string, long> ByKind()
    {
        lock (_gate) return new Dictionary<string, long>(_byKind, StringComparer.Ordinal);
    }

    /// <summary>Answered requests by outcome: ok, notFound, error, blocked.</summary>
    public IReadOnlyDictionary<string, long> ByOutcome()
    {
        lock (_gate) return new Dictionary<string, long>(_byOutcome, StringComparer.Ordinal);
    }

    /// <summary>Answered requests, in the order they finished.</summary>
    public IReadOnlyList<RequestLogEntry> Entries()
    {
        lock (_gate) return [.. _entries];
    }

    /// <summary>
    /// The entries once at least <paramref name="count"/> are logged (or after two seconds, as they are): an answer is
    /// logged when its body is written, so its client may read it a moment before.
    /// </summary>
    public async Task<IReadOnlyList<RequestLogEntry>> EntriesAsync(int count)
    {
        for (var waited = 0; waited < 2000; waited += 10)
        {
            var entries = Entries();
            if (entries.Count >= count) return entries;
            await Task.Delay(10);
        }
        return Entries();
    }

    /// <summary>
    /// Requests that asked again for something the site had just answered "blocked": same method and path+query,
    /// arriving within <paramref name="window"/> after a blocked answer to it. Empty for a crawler that backs off.
    /// </summary>
    public IReadOnlyList<RequestLogEntry> RepeatsWithin(TimeSpan window)
    {
        var entries = Entries();
        var blockedAnswers = entries
            .Where(entry => entry.Outcome == BlockedOutcome)
            .GroupBy(Target)
            .ToDictionary(group => group.Key, group => group.Select(entry => entry.AnsweredAt).Order().ToArray());
        if (blockedAnswers.Count == 0)
            return []; // the usual case, and /_sandbox/stats asks on every poll
        var repeats = new List<RequestLogEntry>();
        foreach (var entry in entries)
        {
            if (!blockedAnswers.TryGetValue(Target(entry), out var answers))
                continue;
            // The latest blocked answer written before this request arrived.
            var index = Array.BinarySearch(answers, entry.ArrivedAt);
            var latest = index >= 0 ? index : ~index - 1;
            if (latest >= 0 && entry.ArrivedAt - answers[latest] <= window)
                repeats.Add(entry);
        }
        return [.. repeats.OrderBy(entry => entry.ArrivedAt)];

        static (string, string) Target(RequestLogEntry entry) => (entry.Method, entry.PathAndQuery);
    }

    /// <summary>
    /// The blocked answers of each block window, oldest first: a window opens with a blocked answer and lasts
    /// <paramref name="window"/> (<c>BlockForSeconds</c>); every blocked answer that arrived within it counts for it.
    /// A crawler that stops at the first block has one or two (those in flight); one that keeps sending has many.
    /// </summary>
    public IReadOnlyList<(DateTimeOffset OpenedAt, int BlockedAnswers)> BlockEpisodes(TimeSpan window)
    {
        var episodes = new List<(DateTimeOffset OpenedAt, int BlockedAnswers)>();
        foreach (var at in Entries().Where(entry => entry.Outcome == BlockedOutcome).Select(entry => entry.ArrivedAt).Order())
        {
            if (episodes.Count > 0 && at - episodes[^1].OpenedAt < window) episodes[^1] = (episodes[^1].OpenedAt, episodes[^1].BlockedAnswers + 1);
            else episodes.Add((at, 1));
        }
        return episodes;
    }

    internal void Arrived(string kind, DateTimeOffset at)
    {
        lock (_gate)
        {
            _requests++;
            // Stamped before the lock: a request can come in just before the last one logged. Keep them in order.
            var place = _arrivals.Count;
            while (place > 0 && _arrivals[place - 1].At > at) place--;
            _arrivals.Insert(place, (at, kind));
            var second = at.ToUnixTimeSeconds();
            _perSecond[second] = _perSecond.GetValueOrDefault(second) + 1;
            _byKind[kind] = _byKind.GetValueOrDefault(kind) + 1;
        }
    }

    internal void Answered(RequestLogEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
            _byOutcome[entry.Outcome] = _byOutcome.GetValueOrDefault(entry.Outcome) + 1;
        }
    }
}
