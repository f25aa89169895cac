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

public sealed record PlaylistFigures(int Discovered, int Done, int Skipped, int Failed);

public sealed record CoverFigures(int Stored, int Missing, long Bytes);

public sealed record CategoryStatus(string Category, int? PagesTotal, int PagesDone, int Discovered, int Done, int Skipped, int Failed);
