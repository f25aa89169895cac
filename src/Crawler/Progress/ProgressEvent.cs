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
    /// <summary>The item table had no open work left: the crawl completed (or failed, with a reason), with its exact figures.</summary>
    Ended,
}

/// <summary>
/// One thing that happened in a crawl, as signalled to its status entity. Item events are sent only by
/// the step that won the item's transition in the <c>CrawlItems</c> table, so a redelivered message
/// sends none and nothing counts twice.
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
    /// <summary>PageDone: playlists this page listed for the first time in the crawl.</summary>
    public int? Discovered { get; set; }
    /// <summary>PageDone: ids the page showed that the category had met already (the hot order shifted while it was paged).</summary>
    public int? Repeats { get; set; }
    /// <summary>PlaylistDone: its details came from a detail request (else from the list answer).</summary>
    public bool? Detailed { get; set; }
    /// <summary>PlaylistDone: the playlist was not in the category's dataset before this crawl.</summary>
    public bool? New { get; set; }
    /// <summary>Set on the event of the one step that fetched the playlist id in this crawl: its stored cover's bytes.</summary>
    public long? CoverBytes { get; set; }
    /// <summary>Set on the event of the one step that fetched the playlist id: it has no stored cover.</summary>
    public bool? CoverMissing { get; set; }
    /// <summary>FailedRequeued: pages and playlists of the category put back into the queues.</summary>
    public int? Pages { get; set; }
    public int? Playlists { get; set; }
    /// <summary>Ended: the counters per category and the cover figures, as the item table's tally holds them.</summary>
    public Dictionary<string, CategoryCounts>? Counts { get; set; }
    public int? CoversStored { get; set; }
    public int? CoversMissing { get; set; }
    /// <summary>Set on every event of one batched signal, so the entity applies a re-sent batch once.</summary>
    public string? BatchId { get; set; }
    public DateTimeOffset? Until { get; set; }
    public string? Reason { get; set; }

    public static ProgressEvent Started(string crawlId, IEnumerable<string> categories, int maxPages, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.Started, CrawlId = crawlId, Categories = categories.ToList(), MaxPages = maxPages, At = at };

    public static ProgressEvent PagesPlanned(string category, int totalPages, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.PagesPlanned, Category = category, TotalPages = totalPages, At = at };

    public static ProgressEvent PageDone(string category, int pageIndex, int discovered, DateTimeOffset at, int repeats = 0) =>
        new() { Kind = ProgressEventKind.PageDone, Category = category, PageIndex = pageIndex, Discovered = discovered, Repeats = repeats > 0 ? repeats : null, At = at };

    public static ProgressEvent PageFailed(string category, int pageIndex, string reason, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.PageFailed, Category = category, PageIndex = pageIndex, Reason = reason, At = at };

    /// <param name="fetched">Whether this step fetched the id (the first of its categories): then its cover is counted.</param>
    /// <param name="detailed">Whether a detail request was made for it (false: its row came from the list answer).</param>
    /// <param name="isNew">Whether it was not in the category's dataset before this crawl.</param>
    public static ProgressEvent PlaylistDone(string category, long playlistId, long? coverBytes, DateTimeOffset at, bool fetched = true,
        bool detailed = true, bool isNew = false) =>
        new()
        {
            Kind = ProgressEventKind.PlaylistDone, Category = category, PlaylistId = playlistId, At = at,
            CoverBytes = fetched ? coverBytes : null, CoverMissing = fetched && coverBytes is null ? true : null,
            Detailed = detailed, New = isNew ? true : null,
        };

    public static ProgressEvent PlaylistSkipped(string category, long playlistId, string reason, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.PlaylistSkipped, Category = category, PlaylistId = playlistId, Reason = reason, At = at };

    public static ProgressEvent PlaylistFailed(string category, long playlistId, string reason, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.PlaylistFailed, Category = category, PlaylistId = playlistId, Reason = reason, At = at };

    public static ProgressEvent Paused(DateTimeOffset until, string reason, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.Paused, Until = until, Reason = reason, At = at };

    public static ProgressEvent Error(string reason, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.Error, Reason = reason, At = at };

    public static ProgressEvent FailedRequeued(string category, int pages, int playlists, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.FailedRequeued, Category = category, Pages = pages, Playlists = playlists, At = at };

    /// <param name="failedReason">Why the crawl failed whole, or null when it completed.</param>
    public static ProgressEvent Ended(Dictionary<string, CategoryCounts> counts, int coversStored, long coverBytes, int coversMissing, string? failedReason,
        DateTimeOffset at) =>
        new()
        {
            Kind = ProgressEventKind.Ended, Counts = counts, CoversStored = coversStored, CoverBytes = coverBytes, CoversMissing = coversMissing,
            Reason = failedReason, At = at,
        };

    public static ProgressEvent Resumed(DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.Resumed, At = at };

    public static ProgressEvent CrawlFailed(string reason, DateTimeOffset at) =>
        new() { Kind = ProgressEventKind.CrawlFailed, Reason = reason, At = at };
}
