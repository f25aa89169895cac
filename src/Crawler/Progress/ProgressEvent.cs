namespace FunctionsCrawler.Progress;

public enum ProgressEventKind
{
    Started,
    PagesPlanned,
    PageDone,
    PageFailed,
    PlaylistDone,
    PlaylistSkipped,
    PlaylistFailed,
    Paused,
    Error,
    FailedRequeued,
    CrawlFailed,
    Resumed,
}

/// <summary>
/// One thing that happened in a crawl, as signalled to its status entity. Applying the same
/// event twice changes nothing, so a redelivered message never counts twice.
/// Plain settable properties: both Durable serializers (Newtonsoft and System.Text.Json) read it.
/// </summary>
public sealed class ProgressEvent
{
    public ProgressEventKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
    public string? CrawlId { get; set; }
    public List<string>? Categories { get; set; }
    public int? MaxPages { get; set; }
    public string? Category { get; set; }
    public int? PageIndex { get; set; }
    public int? TotalPages { get; set; }
    public long? PlaylistId { get; set; }
    public List<long>? PlaylistIds { get; set; }
    public long? CoverBytes { get; set; }
    public DateTimeOffset? Until { get; set; }
    public string? Reason { get; set; }

    public static ProgressEvent Started(string crawlId, IEnumerable<string> categories, int maxPages, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.Started, CrawlId = crawlId, Categories = categories.ToList(), MaxPages = maxPages, At = at };

    public static ProgressEvent PagesPlanned(string category, int totalPages, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.PagesPlanned, Category = category, TotalPages = totalPages, At = at };

    public static ProgressEvent PageDone(string category, int pageIndex, IEnumerable<long> playlistIds, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.PageDone, Category = category, PageIndex = pageIndex, PlaylistIds = playlistIds.ToList(), At = at };

    public static ProgressEvent PageFailed(string category, int pageIndex, string reason, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.PageFailed, Category = category, PageIndex = pageIndex, Reason = reason, At = at };

    public static ProgressEvent PlaylistDone(string category, long playlistId, long? coverBytes, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.PlaylistDone, Category = category, PlaylistId = playlistId, CoverBytes = coverBytes, At = at };

    public static ProgressEvent PlaylistSkipped(string category, long playlistId, string reason, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.PlaylistSkipped, Category = category, PlaylistId = playlistId, Reason = reason, At = at };

    public static ProgressEvent PlaylistFailed(string category, long playlistId, string reason, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.PlaylistFailed, Category = category, PlaylistId = playlistId, Reason = reason, At = at };

    public static ProgressEvent Paused(DateTimeOffset until, string reason, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.Paused, Until = until, Reason = reason, At = at };

    public static ProgressEvent Error(string reason, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.Error, Reason = reason, At = at };

    public static ProgressEvent FailedRequeued(DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.FailedRequeued, At = at };

    public static ProgressEvent Resumed(DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.Resumed, At = at };

    public static ProgressEvent CrawlFailed(string reason, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.CrawlFailed, Reason = reason, At = at };
}
