using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Pipeline;

/// <summary>What the HTTP routes and the terminal view read and do, shared by both hosts.</summary>
public sealed class CrawlQueries(CrawlTable crawls, CrawlItemTable items, ICrawlProgressSink progress, StorageClients storage, TimeProvider time)
{
    /// <summary>The status of one crawl (or of the latest when <paramref name="crawlId"/> is null); null when there is none.</summary>
    public async Task<CrawlStatus?> FindStatusAsync(string? crawlId, CancellationToken ct)
    {
        var crawl = crawlId is null ? await crawls.LatestAsync(ct) : await crawls.GetAsync(crawlId, ct);
        return crawl is null ? null : await StatusAsync(crawl, ct);
    }

    public async Task<CrawlStatus> StatusAsync(CrawlInfo crawl, CancellationToken ct)
    {
        var state = await progress.ReadAsync(crawl.CrawlId, ct);
        if (state is not null) return state.Snapshot(time.GetUtcNow());
        // Registered but the entity has not processed its first signal yet.
        return new CrawlStatus { CrawlId = crawl.CrawlId, Categories = crawl.Categories, StartedAt = crawl.StartedAt };
    }

    public async Task<IReadOnlyList<CrawlStatus>> ListAsync(CancellationToken ct)
    {
        var list = new List<CrawlStatus>();
        foreach (var crawl in await crawls.ListAsync(ct)) list.Add(await StatusAsync(crawl, ct));
        return list;
    }

    /// <summary>Moves every poison message of the crawl back into its work queue; returns how many.</summary>
    public async Task<int> RequeueFailedAsync(string crawlId, CancellationToken ct)
    {
        var moved = 0;
        var reopened = new List<(string Category, int? PageIndex, long? PlaylistId)>();
        foreach (var name in new[] { CrawlQueues.Pages, CrawlQueues.Playlists })
        {
            var poison = storage.Queues.GetQueueClient(name + CrawlQueues.PoisonSuffix);
            var target = storage.Queues.GetQueueClient(name);
            if (!(await poison.ExistsAsync(ct)).Value) continue;
            while (true)
            {
                var batch = (await poison.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), ct)).Value;
                if (batch.Length == 0) break;
                foreach (var message in batch)
                {
                    var text = message.Body.ToString();
                    // Another crawl's message stays where it is (it reappears when its minute of invisibility ends).
                    if (Work(text) is not { } work || work.CrawlId != crawlId) continue;
                    reopened.Add(work.Item);
                    await target.SendMessageAsync(text, ct);
                    await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                    moved++;
                }
            }
        }
        // The items go back to pending, then the counters follow what actually moved.
        var now = time.GetUtcNow();
        foreach (var (category, (pages, playlists)) in await items.ReopenFailedAsync(crawlId, reopened, now, ct))
            await progress.SignalAsync(crawlId, ProgressEvent.FailedRequeued(category, pages, playlists, now), ct);
        return moved;
    }

    /// <summary>The crawl and item of a queue message (a page or a playlist), or null when it is neither.</summary>
    private static (string CrawlId, (string Category, int? PageIndex, long? PlaylistId) Item)? Work(string message)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(message);
            var root = doc.RootElement;
            if (!root.TryGetProperty("crawlId", out var id) || !root.TryGetProperty("category", out var category)) return null;
            int? page = root.TryGetProperty("pageIndex", out var p) ? p.GetInt32() : null;
            long? playlist = root.TryGetProperty("playlistId", out var l) ? l.GetInt64() : null;
            return (id.GetString() ?? "", (category.GetString() ?? "", page, playlist));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
