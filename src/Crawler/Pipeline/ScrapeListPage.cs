using FunctionsCrawler.Logging;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The list-page consumer: fetches one page of a category, records and enqueues the playlists it shows for the
/// first time, and reports the page done. Page 0 also reads the pager and enqueues the category's other pages.
/// </summary>
public sealed class ScrapeListPage(NetEaseClient site, CrawlQueues queues, CrawlItemTable items, ICrawlProgressSink progress,
    Politeness politeness, CancelledCrawls cancelled, FinishCrawl finish, TimeProvider time, ILogger<ScrapeListPage> log)
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
            var result = await site.GetListPageAsync(work.Category, work.PageIndex, ct);
            switch (result.Outcome)
            {
                case PageOutcome.Blocked:
                    await queues.EnqueueAsync(work, ct, await politeness.OnBlockedAsync(work.CrawlId, what, result.Reason, result.RetryAfter, ct));
                    return;
                case PageOutcome.Gone:
                case PageOutcome.Malformed:
                    throw new CrawlStepException($"{what}: {result.Reason}");
            }
            var page = result.Value!;
            if (work.PageIndex == 0) await PlanCategoryAsync(work, page, ct);

            // The page and its first-seen playlists are recorded in one transaction; a crash before the messages are
            // sent leaves them pending in the item table, where resuming finds them.
            var now = time.GetUtcNow();
            var fresh = await items.FinishPageAsync(work.CrawlId, work.Category, work.PageIndex, page.Playlists.Select(p => p.Id).ToList(), now, ct);
            if (fresh is null) return; // another delivery finished it meanwhile
            await queues.EnqueuePlaylistsAsync(work.CrawlId, work.Category, fresh, ct);
            await progress.SignalAsync(work.CrawlId, ProgressEvent.PageDone(work.Category, work.PageIndex, fresh.Count, now), ct);
            if (work.PageIndex == 0 && page.Playlists.Count == 0)
                log.LogWarning("Category {Category} lists no playlists on its first page: it is complete and empty", work.Category);
            if (fresh.Count == 0) await finish.RunAsync(work.CrawlId, ct); // the crawl's last work may have been this page
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

    private async Task PlanCategoryAsync(PageWork work, ListPage page, CancellationToken ct)
    {
        var total = page.Playlists.Count == 0 ? 1 : Math.Max(1, page.TotalPages);
        if (total > MaxPagesPerCategory)
        {
            // A pager is page content: one that claims 2147483647 pages must not enqueue for ever.
            var note = $"the pager of {work.Category} says {page.TotalPages:N0} pages, more than the {MaxPagesPerCategory} a category can have; crawling the first {MaxPagesPerCategory}";
            log.LogWarning("Category {Category}: {Note}", work.Category, note);
            await progress.SignalAsync(work.CrawlId, ProgressEvent.Error(note, time.GetUtcNow()), ct);
            total = MaxPagesPerCategory;
        }
        if (work.MaxPages > 0) total = Math.Min(total, work.MaxPages);
        // The first plan wins: a redelivery of page 0 sends the pages of the plan that stands.
        total = await items.PlanAsync(work.CrawlId, work.Category, total, ct);
        await progress.SignalAsync(work.CrawlId, ProgressEvent.PagesPlanned(work.Category, total, time.GetUtcNow()), ct);
        for (var index = 1; index < total; index++)
            await queues.EnqueueAsync(work with { PageIndex = index }, ct);
        log.LogInformation("Category {Category}: {Pages} list pages planned", work.Category, total);
    }
}
