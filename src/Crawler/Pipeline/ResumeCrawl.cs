using FunctionsCrawler.Logging;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// Puts every unfinished piece of a crawl back into the queues: its open rows in the item table (pages to read, playlists
/// still pending). After a crash, messages a dead process held stay invisible for minutes, and a storage emulator killed
/// mid-write can lose a message; every step is idempotent, so sending work again is safe. The fetch claims the dead
/// deliveries held are given back first, so the work is fetched at once. A crawl with nothing open is judged instead.
/// </summary>
public sealed class ResumeCrawl(CrawlQueues queues, CrawlItemTable items, FinishCrawl finish, ICrawlProgressSink progress,
    ILogger<ResumeCrawl> log)
{
    public async Task<(int Pages, int Playlists)> RunAsync(CrawlInfo crawl, CancellationToken ct)
    {
        using var scope = log.BeginCrawlScope(crawl.CrawlId);
        if (await finish.EndIfNotNamesAsync(crawl, ct)) return (0, 0);
        // The crawl's Started signal may have died with the process that started it: the display needs it. Applying it
        // again changes nothing.
        await progress.SignalAsync(crawl.CrawlId, ProgressEvent.Started(crawl.CrawlId, crawl.Categories, crawl.MaxPages, crawl.StartedAt), ct);
        await items.ReleaseClaimsAsync(crawl.CrawlId, ct);
        var open = await items.ReadOpenAsync(crawl.CrawlId, ct);
        if (open.IsEmpty)
        {
            await finish.RunAsync(crawl.CrawlId, ct);
            return (0, 0);
        }
        foreach (var (category, index) in open.Pages)
            await queues.EnqueueAsync(new PageWork(crawl.CrawlId, category, index, crawl.MaxPages), ct);
        foreach (var category in open.Playlists.GroupBy(p => p.Category, StringComparer.Ordinal))
            await queues.EnqueuePlaylistsAsync(crawl.CrawlId, category.Key, category.Select(p => new PlaylistRef(p.PlaylistId)), ct);
        log.LogInformation("Crawl {CrawlId}: {Pages} pages and {Playlists} playlists sent again", crawl.CrawlId, open.Pages.Count, open.Playlists.Count);
        return (open.Pages.Count, open.Playlists.Count);
    }
}
