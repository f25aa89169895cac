using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Pipeline;

/// <summary>What the HTTP routes and the terminal view read and do, shared by both hosts.</summary>
public sealed class CrawlQueries(CrawlTable crawls, ICrawlProgressSink progress, StorageClients storage, TimeProvider time)
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
                    if (!BelongsTo(text, crawlId)) continue;
                    await target.SendMessageAsync(text, ct);
                    await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                    moved++;
                }
            }
        }
        if (moved > 0) await progress.SignalAsync(crawlId, ProgressEvent.FailedRequeued(time.GetUtcNow()), ct);
        return moved;
    }

    private static bool BelongsTo(string message, string crawlId)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(message);
            return doc.RootElement.TryGetProperty("crawlId", out var id) && id.GetString() == crawlId;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
