namespace FunctionsCrawler.Sandbox;

/// <summary>One request the site answered.</summary>
/// <param name="Kind">list, playlist, api, cover, thumbnail or other.</param>
/// <param name="Outcome">ok, notFound, error (5xx from ErrorRate) or blocked.</param>
public sealed record RequestLogEntry(DateTimeOffset ArrivedAt, string Method, string PathAndQuery, string Kind, int Status, string Outcome);

/// <summary>
/// Every site request (not /_sandbox/*), counted at arrival per whole second of wall-clock time,
/// so tests and /_sandbox/stats can check a crawler's politeness.
/// </summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, int> _perSecond = [];
    private readonly Dictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byOutcome = new(StringComparer.Ordinal);
    private readonly List<RequestLogEntry> _entries = [];
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

    internal void Arrived(string kind, DateTimeOffset at)
    {
        lock (_gate)
        {
            _requests++;
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
