namespace FunctionsCrawler.Progress;

/// <summary>
/// The state of one crawl, as its status entity keeps it. Work items are kept as sets keyed by
/// <c>category|page</c> and <c>category|playlistId</c>, so applying an event twice changes nothing.
/// Rate, ETA and projections are pure functions of this state and the time (see <see cref="Snapshot"/>).
/// </summary>
public sealed class CrawlProgress
{
    /// <summary>Rate is measured over this recent window, so it follows pauses and speed changes.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(2);
    private const int MaxRecentErrors = 10;

    public string CrawlId { get; set; } = "";
    public List<string> Categories { get; set; } = [];
    public int MaxPages { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? FailedReason { get; set; }

    public Dictionary<string, int> PagesTotal { get; set; } = new(StringComparer.Ordinal);
    public HashSet<string> PagesDone { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> PagesFailed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Discovered and not finished yet. Discovered = pending + done + skipped + failed (kept apart to keep the state small).</summary>
    public HashSet<string> Pending { get; set; } = new(StringComparer.Ordinal);
    public HashSet<string> Done { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Skipped { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Failed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Playlist ids with a stored cover, and their bytes (a cover is stored once, whatever its categories).</summary>
    public HashSet<long> CoverIds { get; set; } = [];
    public long CoverBytes { get; set; }
    public HashSet<long> CoversMissing { get; set; } = [];

    /// <summary>(time, finished playlists) after each finished playlist, trimmed to the rate window.</summary>
    public List<ThroughputSample> Samples { get; set; } = [];

    /// <summary>When work last moved (a page or playlist finished, a page planned, a resume): how stalls are seen.</summary>
    public DateTimeOffset? LastProgressAt { get; set; }

    public DateTimeOffset? PausedUntil { get; set; }
    public string? PauseReason { get; set; }
    public List<CrawlError> RecentErrors { get; set; } = [];

    public int Finished => Done.Count + Skipped.Count + Failed.Count;

    public int DiscoveredCount => Pending.Count + Finished;

    private bool IsFinished(string key) => Done.Contains(key) || Skipped.ContainsKey(key) || Failed.ContainsKey(key);

    public void ApplyAll(IEnumerable<ProgressEvent> events)
    {
        foreach (var e in events) Apply(e);
    }

    public void Apply(ProgressEvent e)
    {
        switch (e.Kind)
        {
            case ProgressEventKind.Started:
                CrawlId = e.CrawlId ?? CrawlId;
                if (Categories.Count == 0) Categories = e.Categories ?? [];
                MaxPages = e.MaxPages ?? MaxPages;
                StartedAt ??= e.At;
                break;
            case ProgressEventKind.PagesPlanned:
                // The first plan wins: the hot order can shift the pager between redeliveries.
                if (e.Category is not null && e.TotalPages is { } total) PagesTotal.TryAdd(e.Category, Math.Max(total, 1));
                break;
            case ProgressEventKind.PageDone:
                var page = PageKey(e);
                PagesDone.Add(page);
                PagesFailed.Remove(page);
                foreach (var id in e.PlaylistIds ?? [])
                {
                    var key = Key(e.Category, id);
                    if (!IsFinished(key)) Pending.Add(key);
                }
                break;
            case ProgressEventKind.PageFailed:
                if (!PagesDone.Contains(PageKey(e))) PagesFailed[PageKey(e)] = e.Reason ?? "failed";
                AddError(e, $"page {e.PageIndex + 1} of {e.Category}: {e.Reason}");
                break;
            case ProgressEventKind.PlaylistDone:
                var done = Key(e.Category, e.PlaylistId);
                Pending.Remove(done);
                Failed.Remove(done);
                Skipped.Remove(done);
                if (Done.Add(done)) AddSample(e.At);
                if (e.PlaylistId is { } playlistId)
                {
                    if (e.CoverBytes is { } bytes)
                    {
                        if (CoverIds.Add(playlistId)) CoverBytes += bytes;
                        CoversMissing.Remove(playlistId);
                    }
                    else if (!CoverIds.Contains(playlistId)) CoversMissing.Add(playlistId);
                }
                break;
            case ProgressEventKind.PlaylistSkipped:
                var skipped = Key(e.Category, e.PlaylistId);
                if (Done.Contains(skipped)) break;
                Pending.Remove(skipped);
                Failed.Remove(skipped);
                if (Skipped.TryAdd(skipped, e.Reason ?? "gone")) AddSample(e.At);
                break;
            case ProgressEventKind.PlaylistFailed:
                var failed = Key(e.Category, e.PlaylistId);
                if (Done.Contains(failed) || Skipped.ContainsKey(failed)) break;
                Pending.Remove(failed);
                if (Failed.TryAdd(failed, e.Reason ?? "failed")) AddSample(e.At);
                AddError(e, $"playlist {e.PlaylistId} in {e.Category}: {e.Reason}");
                break;
            case ProgressEventKind.Paused:
                if (e.Until is { } until && (PausedUntil is null || until > PausedUntil)) PausedUntil = until;
                PauseReason = e.Reason;
                break;
            case ProgressEventKind.Error:
                AddError(e, e.Reason ?? "error");
                break;
            case ProgressEventKind.FailedRequeued:
                // The poison messages go back into the queues: their work is pending again.
                Pending.UnionWith(Failed.Keys);
                Failed.Clear();
                PagesFailed.Clear();
                CompletedAt = null;
                break;
            case ProgressEventKind.Resumed:
                break; // only moves LastProgressAt, so the next stall check waits a full spell
            case ProgressEventKind.CrawlFailed:
                FailedReason = e.Reason;
                AddError(e, e.Reason ?? "crawl failed");
                break;
        }
        if (e.Kind is not (ProgressEventKind.Paused or ProgressEventKind.Error or ProgressEventKind.CrawlFailed)
            && (LastProgressAt is null || e.At > LastProgressAt))
            LastProgressAt = e.At;
        if (CompletedAt is null && IsComplete) CompletedAt = e.At;
    }

    /// <summary>Unfinished, not paused, and nothing moved for <paramref name="stallAfter"/>: work was lost in flight.</summary>
    public bool IsStalled(DateTimeOffset now, TimeSpan stallAfter) =>
        CompletedAt is null && FailedReason is null
        && !(PausedUntil is { } until && until > now)
        && now - (LastProgressAt ?? StartedAt ?? now) >= stallAfter;

    /// <summary>Every page planned and done (or failed), and every discovered playlist done, skipped or failed.</summary>
    public bool IsComplete =>
        Categories.Count > 0
        && Categories.All(PagesTotal.ContainsKey)
        && PagesDone.Count + PagesFailed.Count >= PagesTotal.Values.Sum()
        && Pending.Count == 0;

    public CrawlStatus Snapshot(DateTimeOffset now)
    {
        var pagesTotal = PagesTotal.Values.Sum();
        var pagesDone = PagesDone.Count + PagesFailed.Count;
        var rate = RatePerMinute(now);
        var remaining = RemainingPlaylists();
        var paused = PausedUntil is { } until && until > now && CompletedAt is null;
        var state = CompletedAt is not null ? "completed" : FailedReason is not null ? "failed" : paused ? "paused" : "running";
        var end = CompletedAt ?? now;
        return new CrawlStatus
        {
            CrawlId = CrawlId,
            State = state,
            Categories = Categories,
            StartedAt = StartedAt,
            CompletedAt = CompletedAt,
            ElapsedSeconds = StartedAt is { } start ? Math.Max(0, (long)(end - start).TotalSeconds) : 0,
            Pages = new PagesFigures(pagesTotal, pagesDone),
            Playlists = new PlaylistFigures(DiscoveredCount, Done.Count, Skipped.Count, Failed.Count),
            Covers = new CoverFigures(CoverIds.Count, CoversMissing.Count, CoverBytes),
            RatePerMinute = Math.Round(rate, 1),
            EtaSeconds = CompletedAt is not null ? 0 : EtaSeconds(remaining, rate),
            ProjectedBytes = ProjectedBytes(remaining),
            PausedUntil = paused ? PausedUntil : null,
            PauseReason = paused ? PauseReason : null,
            LastError = RecentErrors.Count > 0 ? RecentErrors[^1].Message : null,
            RecentErrors = RecentErrors,
            ByCategory = Categories.Select(CategorySnapshot).ToList(),
        };
    }

    /// <summary>Finished playlists per minute over the last <see cref="RateWindow"/> (or since the start, if shorter).</summary>
    public double RatePerMinute(DateTimeOffset now)
    {
        if (StartedAt is not { } start) return 0;
        var span = now - start < RateWindow ? now - start : RateWindow;
        if (span < TimeSpan.FromSeconds(1)) return 0;
        var from = now - span;
        // A window that reaches back to the start counts everything finished since then.
        var baseline = from <= start ? 0 : Samples.LastOrDefault(s => s.At <= from)?.Finished ?? 0;
        var latest = Samples.Count > 0 ? Samples[^1].Finished : 0;
        return Math.Max(0, latest - baseline) / span.TotalMinutes;
    }

    /// <summary>Playlists still to finish: discovered ones pending, plus the unread pages at the average page size so far.</summary>
    public double RemainingPlaylists()
    {
        var pending = Pending.Count;
        var pagesLeft = Math.Max(0, PagesTotal.Values.Sum() - PagesDone.Count - PagesFailed.Count)
                        + Categories.Count(c => !PagesTotal.ContainsKey(c)); // a category not planned yet: at least its first page
        var perPage = PagesDone.Count > 0 ? (double)DiscoveredCount / PagesDone.Count : 35;
        return pending + pagesLeft * perPage;
    }

    public static long? EtaSeconds(double remainingPlaylists, double ratePerMinute) =>
        remainingPlaylists <= 0 ? 0
        : ratePerMinute <= 0 ? null
        : (long)Math.Ceiling(remainingPlaylists / ratePerMinute * 60);

    /// <summary>Bytes stored so far plus the remaining playlists at the average cover size so far.</summary>
    public long? ProjectedBytes(double remainingPlaylists)
    {
        if (CoverIds.Count == 0) return null;
        var stored = CoverBytes;
        var average = (double)stored / CoverIds.Count;
        // Ids already stored are not stored twice; remaining work is counted per (category, id), so this leans high.
        return stored + (long)Math.Round(remainingPlaylists * average * CoverShare());
    }

    private double CoverShare()
    {
        var withCover = CoverIds.Count + CoversMissing.Count;
        return withCover == 0 ? 1 : (double)CoverIds.Count / withCover;
    }

    private CategoryStatus CategorySnapshot(string category)
    {
        var prefix = category + "|";
        return new CategoryStatus(
            category,
            PagesTotal.TryGetValue(category, out var total) ? total : null,
            PagesDone.Count(k => k.StartsWith(prefix, StringComparison.Ordinal)) + PagesFailed.Keys.Count(k => k.StartsWith(prefix, StringComparison.Ordinal)),
            Count(Pending, prefix) + Count(Done, prefix) + Count(Skipped.Keys, prefix) + Count(Failed.Keys, prefix),
            Count(Done, prefix),
            Count(Skipped.Keys, prefix),
            Count(Failed.Keys, prefix));
    }

    private static int Count(IEnumerable<string> keys, string prefix) => keys.Count(k => k.StartsWith(prefix, StringComparison.Ordinal));

    private void AddSample(DateTimeOffset at)
    {
        Samples.Add(new ThroughputSample(at, Finished));
        // Keep one sample older than the window as the baseline, drop the rest.
        var cutoff = at - RateWindow;
        var firstInWindow = Samples.FindIndex(s => s.At > cutoff);
        if (firstInWindow > 1) Samples.RemoveRange(0, firstInWindow - 1);
    }

    private void AddError(ProgressEvent e, string message)
    {
        RecentErrors.Add(new CrawlError(e.At, message.Length > 300 ? message[..300] + "…" : message));
        if (RecentErrors.Count > MaxRecentErrors) RecentErrors.RemoveAt(0);
    }

    public static string Key(string? category, long? playlistId) => $"{category}|{playlistId}";
    private static string PageKey(ProgressEvent e) => $"{e.Category}|{e.PageIndex}";
}

public sealed record ThroughputSample(DateTimeOffset At, int Finished);

public sealed record CrawlError(DateTimeOffset At, string Message);
