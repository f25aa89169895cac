using System.Globalization;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>An unfinished crawl (state running or paused) that covers some of the categories asked about.</summary>
public sealed record UnfinishedCrawl(CrawlInfo Crawl, CrawlStatus Status, IReadOnlyList<string> Overlap)
{
    /// <summary>One line naming the crawl, what it covers of the new request, and how far it is.</summary>
    public string Describe() =>
        $"crawl {Crawl.CrawlId} ({Status.State}, started {Crawl.StartedAt:yyyy-MM-dd HH:mm:ss} UTC by {Crawl.StartedBy}) is still crawling {string.Join(", ", Overlap)}";
}

/// <summary>One page of <c>GET /api/crawls</c>: statuses newest first, and the token of the next page (null on the last).</summary>
public sealed record CrawlStatusPage(IReadOnlyList<CrawlStatus> Crawls, string? Continuation);

/// <summary>A query a route cannot answer as asked (a bad <c>top</c>, <c>continuation</c>, <c>sort</c>, <c>q</c> …): HTTP 400 with this message.</summary>
public sealed class CrawlQueryException(string message) : Exception(message);

/// <summary>What <c>./run.sh</c> does with the categories it was given (see <see cref="CrawlQueries.ChooseRunAsync"/>).</summary>
public abstract record RunChoice
{
    /// <summary>Resume this unfinished crawl of the same categories.</summary>
    public sealed record Resume(CrawlInfo Crawl) : RunChoice;

    /// <summary>Start a new crawl; with --new, these unfinished crawls are cancelled first.</summary>
    public sealed record Start(IReadOnlyList<UnfinishedCrawl> Cancelling) : RunChoice;

    /// <summary>An unfinished crawl of another set of categories covers some of them: say so, start nothing.</summary>
    public sealed record Refuse(UnfinishedCrawl Running, string Message) : RunChoice;
}

/// <summary>What the HTTP routes and the terminal view read and do, shared by both hosts.</summary>
public sealed class CrawlQueries(CrawlTable crawls, CrawlItemTable items, CrawlQueues queues, ICrawlProgressSink progress,
    IOptions<NetEaseOptions> site, TimeProvider time, StatusReadCache? cache = null)
{
    /// <summary><c>top</c> of <c>GET /api/crawls</c>: anyone may ask, and each crawl listed is an entity read; more is read as <see cref="MaxTop"/>.</summary>
    public const int DefaultTop = 20, MaxTop = 20;

    /// <summary>
    /// How far back a crawl can still be unfinished and refuse an overlapping one. Older crawls are left alone: a
    /// crawl abandoned for a month does not block a new one (the stall check gives up on crawls sooner still).
    /// </summary>
    public static readonly TimeSpan UnfinishedLookBack = TimeSpan.FromDays(30);

    /// <summary>The status of one crawl (or of the latest when <paramref name="crawlId"/> is null); null when there is none.</summary>
    /// <param name="cached">A route's read: the entity's state may be up to <see cref="StatusReadCache.Lifetime"/> old.</param>
    public async Task<CrawlStatus?> FindStatusAsync(string? crawlId, CancellationToken ct, bool cached = false)
    {
        var crawl = crawlId is null ? await crawls.LatestAsync(ct) : await crawls.GetAsync(crawlId, ct);
        return crawl is null ? null : await StatusAsync(crawl, ct, cached);
    }

    /// <summary>The entity's snapshot, with the registry's word on cancellation: a cancelled crawl reads <c>cancelled</c>.</summary>
    public async Task<CrawlStatus> StatusAsync(CrawlInfo crawl, CancellationToken ct, bool cached = false)
    {
        var state = cached && cache is not null ? await cache.ReadAsync(crawl.CrawlId, progress.ReadAsync, ct) : await progress.ReadAsync(crawl.CrawlId, ct);
        // Registered but the entity has not processed its first signal yet.
        var status = state?.Snapshot(time.GetUtcNow())
            ?? new CrawlStatus { CrawlId = crawl.CrawlId, Categories = crawl.Categories, StartedAt = crawl.StartedAt };
        // An entity whose Started signal died with its process still belongs to this crawl: the registry says which.
        if (status.CrawlId.Length == 0)
            status = status with { CrawlId = crawl.CrawlId, Categories = crawl.Categories, StartedAt = status.StartedAt ?? crawl.StartedAt };
        return WithRegistryState(crawl, status);
    }

    /// <summary>
    /// The registry has the last word on how a crawl ended. A completed or failed crawl shows the figures its item table
    /// held then (exact, whatever signals the entity lost). A cancelled crawl is <c>cancelled</c>, with its clock stopped
    /// at the cancel and nothing left to wait for.
    /// </summary>
    public static CrawlStatus WithRegistryState(CrawlInfo crawl, CrawlStatus status)
    {
        if (crawl.IsEnded && crawl.Final is { } final)
        {
            var end = crawl.FinishedAt ?? crawl.StartedAt;
            var ended = new CrawlProgress
            {
                CrawlId = crawl.CrawlId,
                Categories = [.. crawl.Categories],
                StartedAt = status.StartedAt ?? crawl.StartedAt,
                Counts = new Dictionary<string, CategoryCounts>(final.Counts, StringComparer.Ordinal),
                StoredCovers = final.CoversStored,
                CoverBytes = final.CoverBytes,
                MissingCovers = final.CoversMissing,
                CompletedAt = crawl.State == CrawlInfo.Completed ? end : null,
                FailedReason = crawl.FailedReason ?? (crawl.State == CrawlInfo.Failed ? "failed" : null),
                FailedAt = crawl.State == CrawlInfo.Failed ? end : null,
                RecentErrors = [.. status.RecentErrors],
            }.Snapshot(end);
            return ended with { RatePerMinute = status.RatePerMinute };
        }
        if (!crawl.IsCancelled) return status;
        var cancelledAt = crawl.CancelledAt ?? crawl.StartedAt;
        var start = status.StartedAt ?? crawl.StartedAt;
        return status with
        {
            State = CrawlStates.Cancelled,
            ElapsedSeconds = Math.Max(0, (long)(cancelledAt - start).TotalSeconds),
            RatePerMinute = 0,
            EtaSeconds = null,
            PausedUntil = null,
            PauseReason = null,
        };
    }

    /// <summary>
    /// <c>GET /api/crawls?top=&amp;continuation=</c>: up to <paramref name="top"/> (default and at most 20: more is read as 20)
    /// crawls newest first, after the page <paramref name="continuation"/> names, their statuses read through the cache.
    /// Throws <see cref="CrawlQueryException"/> on a bad value.
    /// </summary>
    public async Task<CrawlStatusPage> ListAsync(string? top, string? continuation, CancellationToken ct)
    {
        var count = DefaultTop;
        if (!string.IsNullOrEmpty(top) && (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1))
            throw new CrawlQueryException($"top must be a whole number from 1 to {MaxTop}, got '{(top.Length <= 40 ? top : top[..40] + "…")}'.");
        CrawlPage page;
        try
        {
            page = await crawls.ListPageAsync(Math.Min(count, MaxTop), string.IsNullOrEmpty(continuation) ? null : continuation, ct);
        }
        catch (FormatException e)
        {
            throw new CrawlQueryException(e.Message + ": pass the continuation of the previous page as it was, or none for the first page.");
        }
        var list = new List<CrawlStatus>(page.Crawls.Count);
        foreach (var crawl in page.Crawls) list.Add(await StatusAsync(crawl, ct, cached: true));
        return new CrawlStatusPage(list, page.Continuation);
    }

    /// <summary>
    /// The unfinished crawls of this site (not completed, failed or cancelled) started in the last
    /// <see cref="UnfinishedLookBack"/> that cover any of <paramref name="categories"/>, newest first. A crawl of another
    /// site is another crawl: it neither blocks nor is resumed by this one.
    /// </summary>
    public async Task<IReadOnlyList<UnfinishedCrawl>> UnfinishedCoveringAsync(IReadOnlyList<string> categories, CancellationToken ct)
    {
        var wanted = categories.ToHashSet(StringComparer.Ordinal);
        var found = new List<UnfinishedCrawl>();
        foreach (var crawl in await UnfinishedAsync(ct))
        {
            var overlap = crawl.Categories.Where(wanted.Contains).ToList();
            if (overlap.Count > 0) found.Add(new UnfinishedCrawl(crawl, await StatusAsync(crawl, ct), overlap));
        }
        return found;
    }

    /// <summary>This site's crawls started in the last <see cref="UnfinishedLookBack"/> that have not ended and were not cancelled, newest first.</summary>
    public async Task<IReadOnlyList<CrawlInfo>> UnfinishedAsync(CancellationToken ct) =>
        (await crawls.ListSinceAsync(time.GetUtcNow() - UnfinishedLookBack, ct))
        .Where(c => c.State == CrawlInfo.Started && c.Site == site.Value.Site).ToList();

    /// <summary>
    /// What a <c>./run.sh</c> session does: resume the unfinished crawl of exactly these categories; else start one,
    /// refused while an unfinished crawl of another set covers any of them (<paramref name="startNew"/>, i.e. --new,
    /// cancels those instead). With <paramref name="requeueFailed"/> the latest crawl of these categories is resumed
    /// even when it finished, since its failed work goes back in.
    /// </summary>
    public async Task<RunChoice> ChooseRunAsync(IReadOnlyList<string> categories, bool startNew, bool requeueFailed, CancellationToken ct)
    {
        var unfinished = await UnfinishedCoveringAsync(categories, ct);
        if (startNew) return new RunChoice.Start(unfinished);
        if (unfinished.FirstOrDefault(u => SameCategories(u.Crawl.Categories, categories)) is { } same) return new RunChoice.Resume(same.Crawl);
        if (requeueFailed && await crawls.LatestAsync(ct) is { IsCancelled: false } latest && latest.Site == site.Value.Site
            && SameCategories(latest.Categories, categories))
            return new RunChoice.Resume(latest);
        if (unfinished.Count > 0)
        {
            var running = unfinished[0];
            return new RunChoice.Refuse(running,
                $"Not started: {running.Describe()}. Run ./run.sh with its categories ({string.Join(", ", running.Crawl.Categories)}) to resume it, " +
                "or add --new to cancel it and start afresh.");
        }
        return new RunChoice.Start([]);
    }

    public static bool SameCategories(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).SequenceEqual(b.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Moves every poison message of the crawl back into its work queue; returns how many.</summary>
    public async Task<int> RequeueFailedAsync(string crawlId, CancellationToken ct)
    {
        var reopened = new List<(string Category, int? PageIndex, long? PlaylistId)>();
        var moved = await queues.ScanPoisonAsync(async message =>
        {
            // Another crawl's message stays where it is.
            if (message.Work() is not { } work || work.CrawlId != crawlId) return false;
            if (work.PageIndex is { } index) reopened.Add((work.Category, index, null));
            reopened.AddRange(work.Playlists.Select(id => (work.Category, (int?)null, (long?)id)));
            var target = message.Queue == CrawlQueues.Pages + CrawlQueues.PoisonSuffix ? queues.PagesQueue : queues.PlaylistsQueue;
            await target.SendMessageAsync(message.Text, ct);
            return true;
        }, TimeSpan.FromMinutes(1), ct);
        // The items go back to open, then the counters follow what actually moved.
        var now = time.GetUtcNow();
        var reopenedItems = await items.ReopenFailedAsync(crawlId, reopened, now, ct);
        // Its failed work is open again: an ended crawl goes on.
        if (reopenedItems.Count > 0) await crawls.ReopenAsync(crawlId, ct);
        foreach (var (category, (pages, playlists)) in reopenedItems)
            await progress.SignalAsync(crawlId, ProgressEvent.FailedRequeued(category, pages, playlists, now), ct);
        return moved;
    }
}
