namespace FunctionsCrawler.Progress;

/// <summary>One category's counters in a crawl's status.</summary>
public sealed class CategoryCounts
{
    /// <summary>Pages planned from the category's pager (null until page 0 is read).</summary>
    public int? PagesTotal { get; set; }
    public int PagesDone { get; set; }
    public int PagesFailed { get; set; }
    public int Discovered { get; set; }
    public int Done { get; set; }
    public int Skipped { get; set; }
    public int Failed { get; set; }
    /// <summary>Done playlists whose row came from the list answer, with no detail request.</summary>
    public int Refreshed { get; set; }
    /// <summary>Done playlists whose details came from a detail request.</summary>
    public int Detailed { get; set; }
    /// <summary>Done playlists that were not in the category's dataset before this crawl.</summary>
    public int New { get; set; }
    /// <summary>Ids shown again on a later page (the hot order shifted while the category was paged); each is kept once.</summary>
    public int Repeats { get; set; }
    /// <summary>Playlists of the category's previous crawl in no list of this one (kept in the dataset); counted when the crawl ends.</summary>
    public int Gone { get; set; }
    /// <summary>The category's page 0 failed before its pager was read: it counts as planned with that one page until a plan comes.</summary>
    public bool PlannedByFailure { get; set; }

    public int Finished => Done + Skipped + Failed;
}

/// <summary>
/// What one crawl's status entity displays: live counters per category, the pause, the last errors and a short
/// throughput history — nothing that grows with the number of playlists. The counters are deltas signalled by the step
/// that won each item's transition in the <c>CrawlItems</c> table; a signal lost with its process makes them lag, never
/// run ahead. They are not the judge: the item table decides when the crawl ends, and its tally then replaces them
/// (<see cref="ProgressEventKind.Ended"/>). Rate, ETA and projections are pure functions of this state and the time.
/// </summary>
public sealed class CrawlProgress
{
    /// <summary>Rate is measured over this recent window, so it follows pauses and speed changes.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(2);
    /// <summary>Throughput samples are kept one per this span, so the history stays a few dozen entries.</summary>
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(2);
    private const int MaxRecentErrors = 10;
    private const int MaxRecentBatches = 64;

    public string CrawlId { get; set; } = "";
    public List<string> Categories { get; set; } = [];
    public int MaxPages { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>Why the crawl cannot go on (every list page or every playlist failed, or it stopped moving); null while it can.</summary>
    public string? FailedReason { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    /// <summary>The latest page and playlist failures, for the reason of a crawl that failed whole.</summary>
    public string? LastPageFailure { get; set; }
    public string? LastPlaylistFailure { get; set; }
    /// <summary>Stall resumes since work last moved: a crawl resumed this often without moving cannot go on.</summary>
    public int StalledResumes { get; set; }

    public Dictionary<string, CategoryCounts> Counts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Covers stored (one per playlist id, whatever its categories), their bytes, and ids fetched without one.</summary>
    public int StoredCovers { get; set; }
    public long CoverBytes { get; set; }
    // Not named CoversMissing: states saved before the counters kept a set of ids under that name, and must still load.
    public int MissingCovers { get; set; }

    /// <summary>When the first playlist finished: the rate is measured from then, not from the start (reading the list pages comes first).</summary>
    public DateTimeOffset? FirstFinishedAt { get; set; }

    /// <summary>(time, finished playlists), one per <see cref="SampleEvery"/>, trimmed to the rate window.</summary>
    public List<ThroughputSample> Samples { get; set; } = [];

    /// <summary>When work last moved (a page or playlist finished, a page planned, a resume): how stalls are seen.</summary>
    public DateTimeOffset? LastProgressAt { get; set; }

    public DateTimeOffset? PausedUntil { get; set; }
    public string? PauseReason { get; set; }
    public List<CrawlError> RecentErrors { get; set; } = [];

    /// <summary>Ids of the last batches applied, so a batch re-sent after an unclear failure is not applied twice.</summary>
    public List<string> RecentBatches { get; set; } = [];

    public int Finished => Counts.Values.Sum(c => c.Finished);

    public int DiscoveredCount => Counts.Values.Sum(c => c.Discovered);

    public void ApplyAll(IEnumerable<ProgressEvent> events)
    {
        var list = events as IReadOnlyList<ProgressEvent> ?? events.ToList();
        if (list.Count > 0 && list[0].BatchId is { } batch)
        {
            if (RecentBatches.Contains(batch)) return;
            RecentBatches.Add(batch);
            if (RecentBatches.Count > MaxRecentBatches) RecentBatches.RemoveAt(0);
        }
        foreach (var e in list) Apply(e);
    }

    public void Apply(ProgressEvent e)
    {
        var counts = e.Category is { } category ? For(category) : null;
        switch (e.Kind)
        {
            case ProgressEventKind.Started:
                CrawlId = e.CrawlId ?? CrawlId;
                if (Categories.Count == 0) Categories = e.Categories ?? [];
                foreach (var c in Categories) For(c);
                MaxPages = e.MaxPages ?? MaxPages;
                StartedAt ??= e.At;
                break;
            case ProgressEventKind.PagesPlanned:
                // The first plan wins: the hot order can shift the pager between redeliveries. A plan stood in for
                // by a failed page 0 gives way to the real one (page 0 was requeued and has now been read).
                if (counts is not null && e.TotalPages is { } total && (counts.PagesTotal is null || counts.PlannedByFailure))
                {
                    counts.PagesTotal = Math.Max(total, 1);
                    counts.PlannedByFailure = false;
                }
                break;
            case ProgressEventKind.PageDone:
                counts!.PagesDone++;
                counts.Discovered += e.Discovered ?? 0;
                counts.Repeats += e.Repeats ?? 0;
                break;
            case ProgressEventKind.PageFailed:
                counts!.PagesFailed++;
                // Without its page 0 a category has no pager: it is planned as that one page, so the crawl can end.
                if (e.PageIndex == 0 && counts.PagesTotal is null)
                {
                    counts.PagesTotal = 1;
                    counts.PlannedByFailure = true;
                }
                LastPageFailure = $"page {e.PageIndex + 1} of {e.Category}: {e.Reason}";
                AddError(e, LastPageFailure);
                break;
            case ProgressEventKind.PlaylistDone:
                counts!.Done++;
                if (e.Detailed == false) counts.Refreshed++;
                else counts.Detailed++;
                if (e.New == true) counts.New++;
                CountCover(e);
                AddSample(e.At);
                break;
            case ProgressEventKind.PlaylistSkipped:
                counts!.Skipped++;
                AddSample(e.At);
                break;
            case ProgressEventKind.PlaylistFailed:
                counts!.Failed++;
                AddSample(e.At);
                LastPlaylistFailure = $"playlist {e.PlaylistId} in {e.Category}: {e.Reason}";
                AddError(e, LastPlaylistFailure);
                break;
            case ProgressEventKind.Paused:
                if (e.Until is { } until && (PausedUntil is null || until > PausedUntil)) PausedUntil = until;
                PauseReason = e.Reason;
                break;
            case ProgressEventKind.Error:
                AddError(e, e.Reason ?? "error");
                break;
            case ProgressEventKind.FailedRequeued:
                // The poison messages go back into the queues: their work is unfinished again.
                if (counts is not null)
                {
                    counts.Failed = Math.Max(0, counts.Failed - (e.Playlists ?? 0));
                    counts.PagesFailed = Math.Max(0, counts.PagesFailed - (e.Pages ?? 0));
                }
                CompletedAt = null;
                FailedReason = null; // its failed work goes back in: the crawl can go on again
                FailedAt = null;
                break;
            case ProgressEventKind.Ended:
                // The item table's tally, taken when it had no open work left: exact, so it replaces the live counters.
                if (e.Counts is { } final) Counts = new Dictionary<string, CategoryCounts>(final, StringComparer.Ordinal);
                StoredCovers = e.CoversStored ?? StoredCovers;
                CoverBytes = e.CoverBytes ?? CoverBytes;
                MissingCovers = e.CoversMissing ?? MissingCovers;
                if (e.Reason is { } failed) Fail(e, failed);
                else CompletedAt ??= e.At;
                break;
            case ProgressEventKind.Resumed:
                StalledResumes++;
                break; // moves LastProgressAt too, so the next stall check waits a full spell
            case ProgressEventKind.CrawlFailed:
                if (CompletedAt is null) Fail(e, e.Reason ?? "crawl failed");
                break;
        }
        if (e.Kind is not (ProgressEventKind.Paused or ProgressEventKind.Error or ProgressEventKind.CrawlFailed or ProgressEventKind.Ended)
            && (LastProgressAt is null || e.At > LastProgressAt))
            LastProgressAt = e.At;
        if (e.Kind is not (ProgressEventKind.Paused or ProgressEventKind.Error or ProgressEventKind.CrawlFailed
                or ProgressEventKind.Ended or ProgressEventKind.Resumed or ProgressEventKind.Started))
            StalledResumes = 0;
    }

    private void Fail(ProgressEvent e, string reason)
    {
        if (FailedReason is not null) return;
        FailedReason = reason.Length > 300 ? reason[..300] + "…" : reason;
        FailedAt = e.At;
        AddError(e, FailedReason);
    }

    private CategoryCounts For(string category)
    {
        if (!Counts.TryGetValue(category, out var counts)) Counts[category] = counts = new CategoryCounts();
        return counts;
    }

    /// <summary>The fetch of a playlist id (once per crawl) tells whether its cover was stored.</summary>
    private void CountCover(ProgressEvent e)
    {
        if (e.CoverBytes is { } bytes)
        {
            StoredCovers++;
            CoverBytes += bytes;
        }
        else if (e.CoverMissing == true) MissingCovers++;
    }

    /// <summary>Unfinished, not paused, and nothing moved for <paramref name="stallAfter"/>: work was lost in flight.</summary>
    public bool IsStalled(DateTimeOffset now, TimeSpan stallAfter) =>
        CompletedAt is null && FailedReason is null
        && !(PausedUntil is { } until && until > now)
        && now - (LastProgressAt ?? StartedAt ?? now) >= stallAfter;

    public CrawlStatus Snapshot(DateTimeOffset now)
    {
        var all = Categories.Select(For).ToList();
        var pagesTotal = all.Sum(c => c.PagesTotal ?? 0);
        var pagesDone = all.Sum(c => c.PagesDone + c.PagesFailed);
        var rate = RatePerMinute(now);
        var remaining = RemainingPlaylists();
        var paused = PausedUntil is { } until && until > now && CompletedAt is null && FailedReason is null;
        var state = CompletedAt is not null ? CrawlStates.Completed : FailedReason is not null ? CrawlStates.Failed : paused ? CrawlStates.Paused : CrawlStates.Running;
        var end = CompletedAt ?? FailedAt ?? now;
        return new CrawlStatus
        {
            CrawlId = CrawlId,
            State = state,
            Categories = Categories,
            StartedAt = StartedAt,
            CompletedAt = CompletedAt,
            ElapsedSeconds = StartedAt is { } start ? Math.Max(0, (long)(end - start).TotalSeconds) : 0,
            Pages = new PagesFigures(pagesTotal, pagesDone),
            Playlists = new PlaylistFigures(all.Sum(c => c.Discovered), all.Sum(c => c.Done), all.Sum(c => c.Skipped), all.Sum(c => c.Failed))
            {
                Refreshed = all.Sum(c => c.Refreshed), Detailed = all.Sum(c => c.Detailed), New = all.Sum(c => c.New),
                Gone = all.Sum(c => c.Gone), Repeats = all.Sum(c => c.Repeats),
            },
            Covers = new CoverFigures(StoredCovers, MissingCovers, CoverBytes),
            RatePerMinute = Math.Round(rate, 1),
            // A pause still to run is part of the wait: nothing is fetched until it ends.
            EtaSeconds = CompletedAt is not null ? 0 : FailedReason is not null ? null
                : EtaSeconds(remaining, rate) + (paused ? (long)Math.Ceiling((PausedUntil!.Value - now).TotalSeconds) : 0),
            ProjectedBytes = ProjectedBytes(remaining),
            PausedUntil = paused ? PausedUntil : null,
            PauseReason = paused ? PauseReason : null,
            LastError = state == CrawlStates.Failed ? FailedReason : RecentErrors.Count > 0 ? RecentErrors[^1].Message : null,
            RecentErrors = RecentErrors,
            ByCategory = Categories.Select(c => CategorySnapshot(c, For(c))).ToList(),
        };
    }

    /// <summary>
    /// Finished playlists per minute over the last <see cref="RateWindow"/>, or since the first playlist finished when that
    /// is more recent: the list pages read before it would make the rate look slower than the crawl's (a 37 % too long
    /// ETA half-way through a short crawl).
    /// </summary>
    public double RatePerMinute(DateTimeOffset now)
    {
        if (FirstFinishedAt is not { } first) return 0;
        var from = now - RateWindow > first ? now - RateWindow : first;
        var span = now - from;
        if (span < TimeSpan.FromSeconds(1)) return 0;
        // A window that reaches back to the first finish counts every finish since.
        var baseline = from <= first ? 0 : Samples.LastOrDefault(s => s.At <= from)?.Finished ?? 0;
        var latest = Samples.Count > 0 ? Samples[^1].Finished : 0;
        return Math.Max(0, latest - baseline) / span.TotalMinutes;
    }

    /// <summary>Playlists still to finish: discovered ones pending, plus the unread pages at the average page size so far.</summary>
    public double RemainingPlaylists()
    {
        var all = Categories.Select(For).ToList();
        var pending = Math.Max(0, DiscoveredCount - Finished);
        var pagesDone = all.Sum(c => c.PagesDone);
        var pagesLeft = all.Sum(c => c.PagesTotal is { } total ? Math.Max(0, total - c.PagesDone - c.PagesFailed) : 1); // not planned yet: at least its first page
        var perPage = pagesDone > 0 ? (double)DiscoveredCount / pagesDone : 35;
        return pending + pagesLeft * perPage;
    }

    public static long? EtaSeconds(double remainingPlaylists, double ratePerMinute) =>
        remainingPlaylists <= 0 ? 0
        : ratePerMinute <= 0 ? null
        : (long)Math.Ceiling(remainingPlaylists / ratePerMinute * 60);

    /// <summary>Bytes stored so far plus the remaining playlists at the average cover size so far.</summary>
    public long? ProjectedBytes(double remainingPlaylists)
    {
        if (StoredCovers == 0) return null;
        var average = (double)CoverBytes / StoredCovers;
        var withCover = StoredCovers + MissingCovers;
        var share = withCover == 0 ? 1 : (double)StoredCovers / withCover;
        // Ids already stored are not stored twice; remaining work is counted per (category, id), so this leans high.
        return CoverBytes + (long)Math.Round(remainingPlaylists * average * share);
    }

    private static CategoryStatus CategorySnapshot(string category, CategoryCounts c) =>
        new(category, c.PagesTotal, c.PagesDone + c.PagesFailed, c.Discovered, c.Done, c.Skipped, c.Failed)
        {
            Refreshed = c.Refreshed, Detailed = c.Detailed, New = c.New, Gone = c.Gone, Repeats = c.Repeats,
        };

    private void AddSample(DateTimeOffset at)
    {
        if (FirstFinishedAt is null || at < FirstFinishedAt) FirstFinishedAt = at;
        var finished = Finished;
        if (Samples.Count > 0 && Bucket(at) == Bucket(Samples[^1].At))
            Samples[^1] = new ThroughputSample(at, finished);
        else
            Samples.Add(new ThroughputSample(at, finished));
        // Keep one sample older than the window as the baseline, drop the rest.
        var cutoff = at - RateWindow;
        var firstInWindow = Samples.FindIndex(s => s.At > cutoff);
        if (firstInWindow > 1) Samples.RemoveRange(0, firstInWindow - 1);
    }

    private static long Bucket(DateTimeOffset at) => at.UtcTicks / SampleEvery.Ticks;

    private void AddError(ProgressEvent e, string message)
    {
        RecentErrors.Add(new CrawlError(e.At, message.Length > 300 ? message[..300] + "…" : message));
        if (RecentErrors.Count > MaxRecentErrors) RecentErrors.RemoveAt(0);
    }
}

public sealed record ThroughputSample(DateTimeOffset At, int Finished);

public sealed record CrawlError(DateTimeOffset At, string Message);
