using FunctionsCrawler.Logging;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// Puts every unfinished piece of a crawl back into the queues, from the item table: pages without a row
/// (page 0 for a category not planned yet) and playlists still pending. After a crash, messages a dead process
/// held stay invisible for minutes, and a storage emulator killed mid-write can lose a message; every step is
/// idempotent, so sending work again is safe. The same pass recounts the crawl from the item table, which
/// repairs counters whose signals died with a process (a count can fall behind, never run ahead).
/// </summary>
public sealed class ResumeCrawl(CrawlQueues queues, CrawlItemTable items, ICrawlProgressSink progress, TimeProvider time, ILogger<ResumeCrawl> log)
{
    public async Task<(int Pages, int Playlists)> RunAsync(CrawlInfo crawl, CancellationToken ct)
    {
        using var scope = log.BeginCrawlScope(crawl.CrawlId);
        var state = await progress.ReadAsync(crawl.CrawlId, ct);
        var cutoff = time.GetUtcNow();
        // Work may be moving while the table is read (the host's listeners run): the entity keeps what changes from
        // the cut-off on aside, and adds it to the count when the count arrives.
        // The crawl's Started signal may have died with the process that started it (within a second of the start):
        // without it the entity knows no categories and could never complete. Applying it again changes nothing.
        await progress.SignalAsync(crawl.CrawlId, ProgressEvent.Started(crawl.CrawlId, crawl.Categories, crawl.MaxPages, crawl.StartedAt), ct);
        await progress.SignalAsync(crawl.CrawlId, ProgressEvent.RecountStarted(cutoff), ct);
        var tally = await items.TallyAsync(crawl.CrawlId, cutoff, ct);
        // The count goes out before any work is sent again: the deltas of that work then reach the entity after it,
        // instead of being overwritten by it.
        await progress.SignalAsync(crawl.CrawlId, ProgressEvent.Recounted(tally.Counts, tally.CoversStored, tally.CoverBytes, tally.CoversMissing, cutoff), ct);
        var pages = 0;
        foreach (var category in crawl.Categories)
        {
            var total = state?.Counts.GetValueOrDefault(category)?.PagesTotal ?? 1;
            var finished = tally.FinishedPages.GetValueOrDefault(category) ?? [];
            for (var index = 0; index < total; index++)
            {
                if (finished.Contains(index)) continue;
                await queues.EnqueueAsync(new PageWork(crawl.CrawlId, category, index, crawl.MaxPages), ct);
                pages++;
            }
        }
        foreach (var category in tally.PendingPlaylists.GroupBy(p => p.Category, StringComparer.Ordinal))
            await queues.EnqueuePlaylistsAsync(crawl.CrawlId, category.Key, category.Select(p => p.Playlist), ct);
        if (pages + tally.PendingPlaylists.Count > 0)
            log.LogInformation("Crawl {CrawlId}: {Pages} pages and {Playlists} playlists sent again", crawl.CrawlId, pages, tally.PendingPlaylists.Count);
        return (pages, tally.PendingPlaylists.Count);
    }
}
