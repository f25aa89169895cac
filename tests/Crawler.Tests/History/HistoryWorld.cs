using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Storage;
using FunctionsCrawler.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsCrawler.Tests.History;

/// <summary>Every request the table client sends, retries included: each one is a storage transaction (a batch is one).</summary>
public sealed class RequestCounter : HttpPipelinePolicy
{
    public ConcurrentQueue<string> Requests { get; } = new();

    public int Count => Requests.Count;

    /// <summary>The reads (and single writes) of one table: a batch goes to the account's <c>$batch</c> path, not the table's.</summary>
    public int To(string table) => Requests.Count(r => r.Contains("/" + table, StringComparison.Ordinal));

    public void Clear() => Requests.Clear();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Requests.Enqueue(Describe(message));
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Requests.Enqueue(Describe(message));
        return ProcessNextAsync(message, pipeline);
    }

    private static string Describe(HttpMessage message) => $"{message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.Path)}";
}

/// <summary>
/// The tables of the history on a fresh Azurite account, with crawls made as the pipeline makes them: the crawl's work
/// opened, its pages finished with their playlists, the playlists recorded, then <see cref="FinishCrawl"/> (which writes the
/// history and ends the crawl in the registry).
/// </summary>
public sealed class HistoryWorld
{
    public const string Site = "http://127.0.0.1:9/";

    private HistoryWorld(StorageClients storage, RequestCounter requests)
    {
        Storage = storage;
        Requests = requests;
        Items = new CrawlItemTable(storage);
        Crawls = new CrawlTable(storage);
        Playlists = new PlaylistTable(storage);
        History = new PlaylistHistoryTable(storage, Items);
        Covers = new CoverStore(storage);
    }

    public StorageClients Storage { get; }
    public RequestCounter Requests { get; }
    public CrawlItemTable Items { get; }
    public CrawlTable Crawls { get; }
    public PlaylistTable Playlists { get; }
    public PlaylistHistoryTable History { get; }
    public CoverStore Covers { get; }
    public InMemoryStatusEntities Statuses { get; } = new();

    public static async Task<HistoryWorld> CreateAsync(StorageAccount account, bool historyTable = true)
    {
        var requests = new RequestCounter();
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(requests, HttpPipelinePosition.PerRetry);
        var storage = new StorageClients
        {
            Blobs = new BlobServiceClient(account.ConnectionString, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06)),
            Queues = new QueueServiceClient(account.ConnectionString, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06)),
            Tables = new TableServiceClient(account.ConnectionString, tableOptions),
        };
        var world = new HistoryWorld(storage, requests);
        await world.Items.EnsureCreatedAsync(default);
        await world.Crawls.EnsureCreatedAsync(default);
        await world.Playlists.EnsureCreatedAsync(default);
        if (historyTable) await world.History.EnsureCreatedAsync(default);
        requests.Clear();
        return world;
    }

    public FinishCrawl Finish(TimeProvider? time = null) =>
        new(Crawls, Items, History, new PreviousCrawl(Crawls, Items), Statuses, time ?? TimeProvider.System, NullLogger<FinishCrawl>.Instance);

    public static PlaylistRecord Row(string category, long id, long plays, DateTimeOffset at, string? name = null, long subscribed = 0) => new()
    {
        Category = category,
        CrawlId = "",
        CrawledAt = at,
        Detail = new PlaylistDetail
        {
            Id = id, Name = name ?? $"playlist {id}", PlayCount = plays, SubscribedCount = subscribed, ShareCount = id % 7, CommentCount = id % 11,
            TrackCount = 10 + id % 30, Description = new string('d', 2000), Tags = ["华语"],
        },
    };

    /// <summary>
    /// A crawl of the rows' categories (or <paramref name="categories"/>, when some have no rows) as the pipeline makes one:
    /// registered, each category planned and its pages finished with their playlists, each playlist recorded in the crawl's
    /// own rows and the latest view; then, when <paramref name="end"/>, <see cref="FinishCrawl"/>.
    /// </summary>
    public async Task<CrawlInfo> CrawlAsync(string crawlId, DateTimeOffset startedAt, IReadOnlyList<PlaylistRecord> rows, bool end = true,
        string site = Site, IReadOnlyList<string>? categories = null)
    {
        var cats = categories ?? rows.Select(r => r.Category).Distinct(StringComparer.Ordinal).ToList();
        await Items.OpenCrawlAsync(crawlId, cats, default);
        var crawl = new CrawlInfo(crawlId, cats, 0, startedAt, "test") { Site = site };
        await Crawls.AddAsync(crawl, default);
        foreach (var category in cats)
        {
            var mine = rows.Where(r => r.Category == category).Select(r => r with { CrawlId = crawlId }).ToList();
            var pages = mine.Chunk(CrawlItemTable.MaxPlaylistsPerPage).ToList();
            await Items.PlanAsync(crawlId, category, Math.Max(1, pages.Count), default);
            if (pages.Count == 0) await Items.FinishPageAsync(crawlId, category, 0, [], startedAt, default);
            var finishes = new List<CrawlItemTable.Finish>();
            for (var page = 0; page < pages.Count; page++)
            {
                var refs = await Items.FinishPageAsync(crawlId, category, page, [.. pages[page].Select(r => r.Detail.Id)], startedAt, default);
                foreach (var (r, reference) in pages[page].Zip(refs!))
                    finishes.Add(new(new PlaylistItem(crawlId, category, r.Detail.Id, CrawlItemTable.Pending, reference.ETag is { } etag ? new ETag(etag) : ETag.All), CrawlItemTable.Done, r, null, null));
            }
            await Items.FinishPlaylistsAsync(finishes, startedAt, default);
            await Playlists.UpsertAllAsync(mine, default);
        }
        if (end && !await Finish().RunAsync(crawlId, default)) throw new InvalidOperationException($"crawl {crawlId} did not end");
        return (await Crawls.GetAsync(crawlId, default))!;
    }

    public async Task<List<TableEntity>> HistoryRowsAsync()
    {
        var rows = new List<TableEntity>();
        await foreach (var e in Storage.Tables.GetTableClient(PlaylistHistoryTable.Name).QueryAsync<TableEntity>()) rows.Add(e);
        return rows;
    }
}
