namespace FunctionsCrawler.Progress;

/// <summary>The status JSON of one crawl (design: "Status JSON").</summary>
public sealed record CrawlStatus
{
    public string CrawlId { get; init; } = "";
    /// <summary>running | paused | completed | failed</summary>
    public string State { get; init; } = "running";
    public IReadOnlyList<string> Categories { get; init; } = [];
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public long ElapsedSeconds { get; init; }
    public PagesFigures Pages { get; init; } = new(0, 0);
    public PlaylistFigures Playlists { get; init; } = new(0, 0, 0, 0);
    public CoverFigures Covers { get; init; } = new(0, 0, 0);
    public double RatePerMinute { get; init; }
    public long? EtaSeconds { get; init; }
    public long? ProjectedBytes { get; init; }
    public DateTimeOffset? PausedUntil { get; init; }
    public string? PauseReason { get; init; }
    public string? LastError { get; init; }
    public IReadOnlyList<CrawlError> RecentErrors { get; init; } = [];
    public IReadOnlyList<CategoryStatus> ByCategory { get; init; } = [];
}

public sealed record PagesFigures(int Total, int Done);

public sealed record PlaylistFigures(int Discovered, int Done, int Skipped, int Failed)
{
    /// <summary>Done from the list answers alone (no detail request).</summary>
    public int Refreshed { get; init; }
    /// <summary>Done with a detail request.</summary>
    public int Detailed { get; init; }
    /// <summary>Not in the dataset before this crawl.</summary>
    public int New { get; init; }
    /// <summary>In the previous crawl's lists, in none of this one's (kept in the dataset); known once the crawl ended.</summary>
    public int Gone { get; init; }
    /// <summary>Ids a later page showed again (the hot order shifted while paging); each was kept once.</summary>
    public int Repeats { get; init; }
}

public sealed record CoverFigures(int Stored, int Missing, long Bytes);

public sealed record CategoryStatus(string Category, int? PagesTotal, int PagesDone, int Discovered, int Done, int Skipped, int Failed)
{
    /// <summary>Done from the list answers alone (no detail request).</summary>
    public int Refreshed { get; init; }
    /// <summary>Done with a detail request.</summary>
    public int Detailed { get; init; }
    /// <summary>Not in the dataset before this crawl.</summary>
    public int New { get; init; }
    /// <summary>In the previous crawl's lists, in none of this one's (kept in the dataset); known once the crawl ended.</summary>
    public int Gone { get; init; }
    /// <summary>Ids a later page showed again (the hot order shifted while paging); each was kept once.</summary>
    public int Repeats { get; init; }
}
