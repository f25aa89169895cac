using System.Text.Json;
using Azure.Storage.Queues;

namespace FunctionsCrawler.Storage;

/// <summary>One list page to scrape. Page 0 also plans the category's remaining pages.</summary>
public sealed record PageWork(string CrawlId, string Category, int PageIndex, int MaxPages);

/// <summary>One playlist to scrape, as found on a category's list page.</summary>
public sealed record PlaylistWork(string CrawlId, string Category, long PlaylistId);

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

    public static T Read<T>(string message) =>
        JsonSerializer.Deserialize<T>(message, Json)
        ?? throw new FormatException($"Queue message is not a {typeof(T).Name}: '{Truncate(message)}'.");

    private static string Truncate(string s) => s.Length <= 120 ? s : s[..120] + "…";
}
