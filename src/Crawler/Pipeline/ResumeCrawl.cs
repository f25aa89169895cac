using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// Puts every unfinished piece of a crawl back into the queues, from the status entity's own record:
/// pages not done (page 0 for a category not yet planned) and discovered playlists not finished.
/// After a crash, messages a dead process held stay invisible for minutes, and a storage emulator
/// killed mid-write can lose a message; every step is idempotent, so sending work again is safe.
/// </summary>
public sealed class ResumeCrawl(CrawlQueues queues, ICrawlProgressSink progress, ILogger<ResumeCrawl> log)
{
    public async Task<(int Pages, int Playlists)> RunAsync(CrawlInfo crawl, CancellationToken ct)
    {
        var state = await progress.ReadAsync(crawl.CrawlId, ct);
        var pages = 0;
        var playlists = 0;
        foreach (var category in crawl.Categories)
        {
            var total = state is not null && state.PagesTotal.TryGetValue(category, out var planned) ? planned : 1;
            for (var index = 0; index < total; index++)
            {
                var key = $"{category}|{index}";
                if (state is not null && (state.PagesDone.Contains(key) || state.PagesFailed.ContainsKey(key))) continue;
                await queues.EnqueueAsync(new PageWork(crawl.CrawlId, category, index, crawl.MaxPages), ct);
                pages++;
            }
        }
        if (state is not null)
        {
            foreach (var key in state.Pending)
            {
                var split = key.LastIndexOf('|');
                await queues.EnqueueAsync(new PlaylistWork(crawl.CrawlId, key[..split], long.Parse(key[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture)), ct);
                playlists++;
            }
        }
        if (pages + playlists > 0)
            log.LogInformation("Crawl {CrawlId}: {Pages} pages and {Playlists} playlists sent again", crawl.CrawlId, pages, playlists);
        return (pages, playlists);
    }
}
