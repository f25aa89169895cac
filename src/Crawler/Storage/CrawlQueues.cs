using System.Text.Json;
using Azure.Storage.Queues;

namespace FunctionsCrawler.Storage;

/// <summary>One list page to scrape. Page 0 also plans the category's remaining pages.</summary>
public sealed record PageWork(string CrawlId, string Category, int PageIndex, int MaxPages)
{
    /// <summary>Where the page is read (<see cref="ListSources"/>), as its category was planned; null: page 0 as configured, else as the plan says.</summary>
    public string? Lists { get; init; }
}

/// <summary>
/// A playlist of a category to scrape: its id and the ETag its pending item row had when the work was sent (null when
/// unknown: then the row is read first). The ETag spares a read per playlist; a stale one costs a read, never a wrong move.
/// </summary>
public sealed record PlaylistRef(long Id, string? ETag = null)
{
    /// <summary>Not in the dataset's latest view of the category before this crawl.</summary>
    public bool New { get; init; }

    /// <summary>Its pending row holds what a JSON list told (<see cref="ListedItem.Draft"/>): the row is read before the fetch.</summary>
    public bool Listed { get; init; }
}

/// <summary>
/// The playlists of one category to scrape, as a list page first showed them (at most 35), or those of them that
/// still need it. <see cref="Retries"/> counts the failed tries the playlists in this message have already had.
/// One message per page rather than per playlist: the queue, the claims and the item moves then cost a few storage
/// transactions per page instead of per playlist.
/// </summary>
public sealed record PlaylistWork(string CrawlId, string Category, IReadOnlyList<PlaylistRef> Playlists, int Retries = 0)
{
    /// <summary>Most playlists one message carries: a list page's worth.</summary>
    public const int MaxPlaylists = 35;
}

/// <summary>The crawl's two work queues (and their poison twins).</summary>
public sealed class CrawlQueues(StorageClients storage)
{
    public const string Pages = "crawl-pages";
    public const string Playlists = "crawl-playlists";
    public const string PoisonSuffix = "-poison";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public QueueClient PagesQueue { get; } = storage.Queues.GetQueueClient(Pages);
    public QueueClient PlaylistsQueue { get; } = storage.Queues.GetQueueClient(Playlists);

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        foreach (var name in new[] { Pages, Playlists, Pages + PoisonSuffix, Playlists + PoisonSuffix })
            await storage.Queues.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken: ct);
    }

    public Task EnqueueAsync(PageWork work, CancellationToken ct, TimeSpan? delay = null) =>
        PagesQueue.SendMessageAsync(JsonSerializer.Serialize(work, Json), delay, cancellationToken: ct);

    public Task EnqueueAsync(PlaylistWork work, CancellationToken ct, TimeSpan? delay = null) =>
        PlaylistsQueue.SendMessageAsync(JsonSerializer.Serialize(work, Json), delay, cancellationToken: ct);

    /// <summary>Sends the playlists of a category in messages of at most <see cref="PlaylistWork.MaxPlaylists"/>.</summary>
    public async Task EnqueuePlaylistsAsync(string crawlId, string category, IEnumerable<PlaylistRef> playlists, CancellationToken ct,
        TimeSpan? delay = null, int retries = 0)
    {
        foreach (var chunk in playlists.Chunk(PlaylistWork.MaxPlaylists))
            await EnqueueAsync(new PlaylistWork(crawlId, category, chunk, retries), ct, delay);
    }

    /// <summary>
    /// Puts playlists whose last try failed where a failed message goes, so <c>requeue-failed</c> finds them: the rest of
    /// their message went on, so the queue itself never moves it there.
    /// </summary>
    public Task SendToPoisonAsync(PlaylistWork work, CancellationToken ct) =>
        storage.Queues.GetQueueClient(Playlists + PoisonSuffix).SendMessageAsync(JsonSerializer.Serialize(work, Json), cancellationToken: ct);

    public static T Read<T>(string message) =>
        JsonSerializer.Deserialize<T>(message, Json)
        ?? throw new FormatException($"Queue message is not a {typeof(T).Name}: '{Truncate(message)}'.");

    private static string Truncate(string s) => s.Length <= 120 ? s : s[..120] + "…";

    /// <summary>A work message found in a poison queue: the queue it is in, and its text.</summary>
    public sealed record PoisonMessage(string Queue, string Text)
    {
        /// <summary>The crawl and items the message names (a page, or playlists of a category), or null when it is not a work message.</summary>
        public (string CrawlId, string Category, int? PageIndex, IReadOnlyList<long> Playlists)? Work()
        {
            try
            {
                if (Queue == Pages + PoisonSuffix) return Read<PageWork>(Text) is var page ? (page.CrawlId, page.Category, page.PageIndex, []) : null;
                var playlists = Read<PlaylistWork>(Text);
                return (playlists.CrawlId, playlists.Category, null, playlists.Playlists?.Select(p => p.Id).ToList() ?? []);
            }
            catch (Exception e) when (e is JsonException or FormatException or NotSupportedException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Looks at every message of both poison queues once: those <paramref name="take"/> accepts are deleted once it has
    /// done with them; the others stay, invisible while the scan runs (at most <paramref name="scanVisibility"/>) and
    /// visible again as soon as it ends. Returns how many were taken.
    /// </summary>
    public async Task<int> ScanPoisonAsync(Func<PoisonMessage, Task<bool>> take, TimeSpan scanVisibility, CancellationToken ct)
    {
        var taken = 0;
        foreach (var name in new[] { Pages + PoisonSuffix, Playlists + PoisonSuffix })
        {
            var poison = storage.Queues.GetQueueClient(name);
            if (!(await poison.ExistsAsync(ct)).Value) continue;
            // A message seen twice means the scan outlasted its visibility window: everything has been looked at.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var others = new List<(string Id, string PopReceipt)>();
            while (true)
            {
                var batch = (await poison.ReceiveMessagesAsync(32, scanVisibility, ct)).Value;
                var repeated = false;
                foreach (var message in batch)
                {
                    repeated |= !seen.Add(message.MessageId);
                    if (await take(new PoisonMessage(name, message.Body.ToString())))
                    {
                        await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                        taken++;
                    }
                    else others.Add((message.MessageId, message.PopReceipt));
                }
                if (batch.Length == 0 || repeated) break;
            }
            foreach (var (id, popReceipt) in others)
            {
                try { await poison.UpdateMessageAsync(id, popReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: ct); }
                catch (Azure.RequestFailedException e) when (e.Status is 400 or 404) { } // received again meanwhile: its newer receipt rules
            }
        }
        return taken;
    }

    /// <summary>Deletes the poison messages of the given crawls from both poison queues; returns how many per crawl.</summary>
    public async Task<IReadOnlyDictionary<string, int>> DeletePoisonAsync(IReadOnlySet<string> crawlIds, TimeSpan scanVisibility, CancellationToken ct)
    {
        var deleted = new Dictionary<string, int>(StringComparer.Ordinal);
        if (crawlIds.Count == 0) return deleted;
        await ScanPoisonAsync(message =>
        {
            if (message.Work() is not { } work || !crawlIds.Contains(work.CrawlId)) return Task.FromResult(false);
            deleted[work.CrawlId] = deleted.GetValueOrDefault(work.CrawlId) + 1;
            return Task.FromResult(true);
        }, scanVisibility, ct);
        return deleted;
    }
}
