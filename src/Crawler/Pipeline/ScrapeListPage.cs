using FunctionsCrawler.Logging;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The list-page consumer: reads one page of a category's list (<see cref="ReadCategoryList"/>), records the playlists it
/// shows for the first time — done at once when the list told everything (<see cref="RefreshFromList"/>), else pending
/// and enqueued for their fetch — and reports the page done. Page 0 also plans the category's other pages and enqueues
/// them, all at once, so the list is paged quickly, before the details, and a shift of the hot order has little time.
/// </summary>
public sealed class ScrapeListPage(ReadCategoryList lists, RefreshFromList refresh, CrawlQueues queues, CrawlItemTable items, PlaylistTable playlists,
    ICrawlProgressSink progress, Politeness politeness, CancelledCrawls cancelled, FinishCrawl finish, TimeProvider time, ILogger<ScrapeListPage> log)
{
    /// <summary>
    /// Most list pages planned for one category. The real site's largest categories have about 38 pages
    /// (35 playlists each); pages past this cap are not crawled, and the crawl's status says so.
    /// </summary>
    public const int MaxPagesPerCategory = 100;

    public async Task RunAsync(PageWork work, Delivery delivery, CancellationToken ct)
    {
        using var scope = log.BeginCrawlScope(work.CrawlId);
        var what = $"page {work.PageIndex + 1} of {work.Category}";
        try
        {
            // A cancelled crawl's messages are dropped; a late redelivery of a finished page changes nothing.
            if (await cancelled.IsCancelledAsync(work.CrawlId, ct)) return;
            if (await items.IsPageFinishedAsync(work.CrawlId, work.Category, work.PageIndex, ct)) return;
            if (await politeness.DeferByAsync(work.CrawlId, ct) is { } wait)
            {
                await queues.EnqueueAsync(work, ct, wait);
                return;
            }
            var listing = await lists.RunAsync(work, ct);
            var result = listing.Result;
            switch (result.Outcome)
            {
                case PageOutcome.Blocked:
                    await queues.EnqueueAsync(work, ct, await politeness.OnBlockedAsync(work.CrawlId, what, result.Reason, result.RetryAfter, ct, result.Held));
                    return;
                case PageOutcome.Gone:
                case PageOutcome.Malformed:
                    throw new CrawlStepException($"{what}: {result.Reason}");
            }
            var page = result.Value!;
            foreach (var problem in page.Problems.Take(MaxProblemLines))
                log.LogWarning("{What}: {Problem}", what, problem);
            if (work.PageIndex == 0 && await PlanCategoryAsync(work, page, listing.Lists, ct) is { } standing && standing != listing.Lists)
            {
                // A redelivery of page 0 found the category planned from the other source: read the page as planned.
                listing = await lists.RunAsync(work with { Lists = standing }, ct);
                if (listing.Result is { Outcome: PageOutcome.Blocked } blocked)
                {
                    await queues.EnqueueAsync(work, ct, await politeness.OnBlockedAsync(work.CrawlId, what, blocked.Reason, blocked.RetryAfter, ct, blocked.Held));
                    return;
                }
                if (listing.Result.Value is not { } planned) throw new CrawlStepException($"{what}: {listing.Result.Reason}");
                page = planned;
            }

            // The page and its first-seen playlists are recorded together; a crash before the messages are sent leaves
            // them pending in the item table, where resuming finds them.
            var now = time.GetUtcNow();
            var listed = await refresh.RunAsync(work, page, listing.Lists, ct);
            // The rows complete from the list go to the dataset first: they are the site's latest values whoever records
            // them, and a crash after the page row cannot leave them out (a redelivery stops at the finished page).
            await playlists.UpsertAllAsync(listed.Where(l => l.Row is not null).Select(l => l.Row!).ToList(), ct);
            var finished = await items.FinishListedPageAsync(work.CrawlId, work.Category, work.PageIndex, listed, now, ct, page.Repeats);
            if (finished is null) return; // another delivery finished it meanwhile
            await queues.EnqueuePlaylistsAsync(work.CrawlId, work.Category, finished.Pending, ct);
            var discovered = finished.Pending.Count + finished.Recorded.Count;
            await progress.SignalAsync(work.CrawlId, ProgressEvent.PageDone(work.Category, work.PageIndex, discovered, now, finished.Repeats), ct);
            foreach (var row in finished.Recorded)
                await progress.SignalAsync(work.CrawlId, ProgressEvent.PlaylistDone(work.Category, row.Detail.Id, row.Cover?.Bytes, now, fetched: false, detailed: false), ct);
            if (work.PageIndex == 0 && page.Playlists.Count == 0)
                log.LogWarning("Category {Category} lists no playlists on its first page: it is complete and empty", work.Category);
            if (finished.Pending.Count == 0) await finish.RunAsync(work.CrawlId, ct); // the crawl's last work may have been this page
        }
        catch (SiteFetchException e) when (!ct.IsCancellationRequested)
        {
            // The site could not be reached or did not answer in time, after the client's retries: the queue tries again.
            await FailIfLastTryAsync(work, delivery, e.Message, ct);
            throw new CrawlStepException($"{what}: {e.Message}", e);
        }
        catch (Exception e) when (delivery.IsLastTry && !ct.IsCancellationRequested)
        {
            await FailIfLastTryAsync(work, delivery, e.Message, ct);
            throw;
        }
    }

    private async Task FailIfLastTryAsync(PageWork work, Delivery delivery, string reason, CancellationToken ct)
    {
        if (!delivery.IsLastTry) return;
        var now = time.GetUtcNow();
        if (!await items.FailPageAsync(work.CrawlId, work.Category, work.PageIndex, reason, now, ct)) return;
        await progress.SignalAsync(work.CrawlId, ProgressEvent.PageFailed(work.Category, work.PageIndex, reason, now), ct);
        await finish.RunAsync(work.CrawlId, ct);
    }

    /// <summary>Plans the category from its page 0 and enqueues its other pages; returns where the standing plan reads them.</summary>
    private async Task<string> PlanCategoryAsync(PageWork work, ListPage page, string source, CancellationToken ct)
    {
        var total = page.Playlists.Count == 0 ? 1 : Math.Max(1, page.TotalPages);
        if (total > MaxPagesPerCategory)
        {
            // A pager or a total is page content: one that claims 2147483647 pages must not enqueue for ever.
            var note = $"the {(source == ListSources.Api ? "list answer" : "pager")} of {work.Category} says {page.TotalPages:N0} pages, more than the {MaxPagesPerCategory} a category can have; crawling the first {MaxPagesPerCategory}";
            log.LogWarning("Category {Category}: {Note}", work.Category, note);
            await progress.SignalAsync(work.CrawlId, ProgressEvent.Error(note, time.GetUtcNow()), ct);
            total = MaxPagesPerCategory;
        }
        if (work.MaxPages > 0) total = Math.Min(total, work.MaxPages);
        // The first plan wins: a redelivery of page 0 sends the pages of the plan that stands.
        var plan = await items.PlanAsync(work.CrawlId, work.Category, total, source, ct);
        await progress.SignalAsync(work.CrawlId, ProgressEvent.PagesPlanned(work.Category, plan.Pages, time.GetUtcNow()), ct);
        for (var index = 1; index < plan.Pages; index++)
            await queues.EnqueueAsync(work with { PageIndex = index, Lists = plan.Lists }, ct);
        log.LogInformation("Category {Category}: {Pages} list pages planned ({Lists})", work.Category, plan.Pages,
            plan.Lists == ListSources.Api ? "JSON list answers" : "HTML list pages");
        return plan.Lists;
    }

    /// <summary>Problem lines logged for one answer: a hostile answer must not flood the log.</summary>
    private const int MaxProblemLines = 5;
}
