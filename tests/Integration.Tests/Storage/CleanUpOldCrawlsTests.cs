using Azure.Data.Tables;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FunctionsCrawler.Integration.Tests.Storage;

/// <summary>The retention clean-up on a real Azurite: what old crawls leave is deleted, the dataset and, per category, the newest ended crawl holding its rows stay.</summary>
[Collection(nameof(InProcessStorage))]
public sealed class CleanUpOldCrawlsTests(AzuriteFixture azurites)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 4, 30, 0, TimeSpan.Zero);

    private sealed class World(StorageClients storage, InMemoryStatusEntities statuses, FakeTimeProvider time)
    {
        public FakeTimeProvider Time => time;
        public CrawlTable Crawls { get; } = new(storage);
        public PlaylistTable Playlists { get; } = new(storage);
        public CrawlQueues Queues { get; } = new(storage);
        public CrawlItemTable ItemTable { get; } = new(storage);
        public TableClient Items { get; } = storage.Tables.GetTableClient(CrawlItemTable.Name);
        public InMemoryStatusEntities Statuses => statuses;
        public StorageClients Storage => storage;

        public CleanUpOldCrawls Step(string retentionDays = "30") => new(Crawls, new CrawlQueries(Crawls, ItemTable, Queues, statuses, Options.Create(new NetEaseOptions()), time),
            ItemTable, Queues, new PlaylistHistoryTable(storage, ItemTable), statuses, Options.Create(new CrawlerOptions { RetentionDays = retentionDays }), time,
            NullLogger<CleanUpOldCrawls>.Instance);

        /// <summary>
        /// A registered crawl with per-crawl rows, a dataset row and poison messages; completed or still running. Each
        /// category has <paramref name="rows"/> done playlists, except those whose one page failed
        /// (<paramref name="pagesFailed"/>: no rows) and those whose page was read but every playlist failed
        /// (<paramref name="playlistsFailed"/>: failed rows only). The registry's tally says the same.
        /// </summary>
        public async Task<CrawlInfo> CrawlAsync(string crawlId, DateTimeOffset startedAt, string[] categories, bool completed, int rows, long datasetId,
            string[]? pagesFailed = null, string[]? playlistsFailed = null)
        {
            bool PageFailed(string c) => pagesFailed?.Contains(c) == true;
            bool PlaylistsFailed(string c) => playlistsFailed?.Contains(c) == true;
            var crawl = new CrawlInfo(crawlId, categories, 0, startedAt, "test") { Site = new NetEaseOptions().Site };
            await Crawls.AddAsync(crawl, default);
            if (completed)
                await Crawls.EndAsync(crawlId, CrawlInfo.Completed, null, new CrawlTally(categories.ToDictionary(c => c, c =>
                    PageFailed(c) ? new CategoryCounts { PagesTotal = 1, PagesFailed = 1 }
                    : PlaylistsFailed(c) ? new CategoryCounts { PagesTotal = 1, PagesDone = 1, Discovered = rows, Failed = rows }
                    : new CategoryCounts { PagesTotal = 1, PagesDone = 1, Discovered = rows, Done = rows }), 0, 0, 0), startedAt, default);
            await statuses.SignalAsync(crawlId, ProgressEvent.Started(crawlId, categories, 0, startedAt));
            foreach (var category in categories)
            {
                await statuses.SignalAsync(crawlId, ProgressEvent.PagesPlanned(category, completed ? 1 : 2, startedAt));
                await statuses.SignalAsync(crawlId, ProgressEvent.PageDone(category, 0, 0, startedAt));
                var key = Uri.EscapeDataString(category);
                if (PageFailed(category))
                {
                    await Items.UpsertEntityAsync(new TableEntity(crawlId, $"page|{key}|000000") { ["State"] = "failed", ["Category"] = category });
                    continue;
                }
                for (var id = 1; id <= rows; id++)
                    await Items.UpsertEntityAsync(new TableEntity(crawlId, $"list|{key}|{id:D20}") { ["State"] = PlaylistsFailed(category) ? "failed" : "done", ["PlaylistId"] = (long)id });
            }
            await Playlists.UpsertAllAsync([Record(categories[0], datasetId, crawlId, startedAt)], default);
            // What the host does after maxDequeueCount tries: the message as it was, in the queue's poison twin.
            await PoisonAsync(CrawlQueues.Playlists, new PlaylistWork(crawlId, categories[0], [new PlaylistRef(datasetId)]));
            await PoisonAsync(CrawlQueues.Pages, new PageWork(crawlId, categories[0], 3, 0));
            return crawl;
        }

        private Task PoisonAsync<T>(string queue, T work) =>
            storage.Queues.GetQueueClient(queue + CrawlQueues.PoisonSuffix).SendMessageAsync(System.Text.Json.JsonSerializer.Serialize(work, CrawlQueues.Json));

        public async Task<int> RowsAsync(string table, string crawlId)
        {
            var count = 0;
            await foreach (var _ in storage.Tables.GetTableClient(table).QueryAsync<TableEntity>(e => e.PartitionKey == crawlId)) count++;
            return count;
        }

        public async Task<List<string>> PoisonCrawlIdsAsync()
        {
            var ids = new List<string>();
            foreach (var name in new[] { CrawlQueues.Pages, CrawlQueues.Playlists })
                foreach (var m in (await storage.Queues.GetQueueClient(name + CrawlQueues.PoisonSuffix).PeekMessagesAsync(32)).Value)
                    ids.Add(new CrawlQueues.PoisonMessage(name + CrawlQueues.PoisonSuffix, m.Body.ToString()).Work()?.CrawlId ?? m.Body.ToString());
            return ids.Order(StringComparer.Ordinal).ToList();
        }
    }

    private static PlaylistRecord Record(string category, long id, string crawlId, DateTimeOffset at) => new()
    {
        Category = category, CrawlId = crawlId, CrawledAt = at,
        Detail = new PlaylistDetail { Id = id, Name = $"playlist {id}" },
    };

    private static async Task<World> WorldAsync(StorageAccount azurite)
    {
        var storage = LocalStorage.Clients(azurite);
        var world = new World(storage, new InMemoryStatusEntities(), new FakeTimeProvider(Now));
        await world.Queues.EnsureCreatedAsync(default);
        await world.Playlists.EnsureCreatedAsync(default);
        await world.Crawls.EnsureCreatedAsync(default);
        await world.Items.CreateIfNotExistsAsync();
        return world;
    }

    [Fact]
    public async Task Old_crawls_lose_rows_entity_poison_and_registry_row_but_the_dataset_and_the_newest_completed_crawl_per_category_stay()
    {
        var azurite = azurites.NewAccount();
        var w = await WorldAsync(azurite);
        // Oldest first: an old completed crawl with a newer completed one of its category; the newest completed crawl of
        // 说唱 and 华语 (old too); an old crawl never finished; a recent crawl still running.
        await w.CrawlAsync("20260901-030000-aaaa", Now.AddDays(-91), ["说唱"], completed: true, rows: 230, datasetId: 101);
        await w.CrawlAsync("20261001-030000-bbbb", Now.AddDays(-61), ["说唱", "华语"], completed: true, rows: 5, datasetId: 102);
        await w.CrawlAsync("20261015-030000-cccc", Now.AddDays(-47), ["华语"], completed: false, rows: 3, datasetId: 103);
        await w.CrawlAsync("20261125-030000-dddd", Now.AddDays(-6), ["说唱"], completed: false, rows: 4, datasetId: 104);
        await w.Storage.Queues.GetQueueClient(CrawlQueues.Playlists + CrawlQueues.PoisonSuffix).SendMessageAsync("not a work message");

        var summary = await w.Step().RunAsync(default);

        Assert.Equal(["20260901-030000-aaaa", "20261015-030000-cccc"], summary.Deleted.Order(StringComparer.Ordinal));
        Assert.Equal(["20261001-030000-bbbb"], summary.Kept);
        Assert.Equal(["20261125-030000-dddd", "20261001-030000-bbbb"], (await w.Crawls.ListSinceAsync(DateTimeOffset.MinValue, default)).Select(c => c.CrawlId));
        foreach (var gone in summary.Deleted)
        {
            Assert.Equal(0, await w.RowsAsync(CrawlItemTable.Name, gone));
            Assert.False(w.Statuses.Has(gone));
        }
        Assert.Equal(summary.Deleted.Order(StringComparer.Ordinal), w.Statuses.Purged.Order(StringComparer.Ordinal));
        Assert.Equal((10, 4), (await w.RowsAsync(CrawlItemTable.Name, "20261001-030000-bbbb"), await w.RowsAsync(CrawlItemTable.Name, "20261125-030000-dddd")));
        // Only the deleted crawls' poison messages went; the others are visible again at once.
        Assert.Equal(["20261001-030000-bbbb", "20261001-030000-bbbb", "20261125-030000-dddd", "20261125-030000-dddd", "not a work message"], await w.PoisonCrawlIdsAsync());
        // The dataset keeps every row, whichever crawl wrote it.
        foreach (var (category, id) in new[] { ("说唱", 101L), ("说唱", 102L), ("华语", 103L), ("说唱", 104L) })
            Assert.NotNull(await w.Playlists.GetAsync(category, id, default));

        var again = await w.Step().RunAsync(default);
        Assert.Empty(again.Deleted);
        Assert.Equal(["20261001-030000-bbbb"], again.Kept);
    }

    [Fact]
    public async Task A_category_keeps_its_newest_rows_whatever_happened_to_the_rest_of_a_newer_crawl()
    {
        var azurite = azurites.NewAccount();
        var w = await WorldAsync(azurite);
        string[] both = ["说唱", "华语"];
        // Oldest first, every crawl of (说唱, 华语) and every one completed: one superseded for both categories; the last
        // with 说唱's rows; one whose 说唱 page failed; a recent one whose 说唱 page was read but every playlist failed.
        await w.CrawlAsync("20260801-030000-aaaa", Now.AddDays(-122), both, completed: true, rows: 7, datasetId: 101);
        await w.CrawlAsync("20261001-030000-bbbb", Now.AddDays(-61), both, completed: true, rows: 6, datasetId: 102);
        await w.CrawlAsync("20261015-030000-cccc", Now.AddDays(-47), both, completed: true, rows: 5, datasetId: 103, pagesFailed: ["说唱"]);
        await w.CrawlAsync("20261125-030000-dddd", Now.AddDays(-6), both, completed: true, rows: 4, datasetId: 104, playlistsFailed: ["说唱"]);

        var summary = await w.Step().RunAsync(default);

        // bbbb holds the newest rows of 说唱: it stays, with them. aaaa is superseded for both categories and cccc's 华语
        // rows by dddd's: both go.
        Assert.Equal(["20260801-030000-aaaa", "20261015-030000-cccc"], summary.Deleted.Order(StringComparer.Ordinal));
        Assert.Equal(["20261001-030000-bbbb"], summary.Kept);
        Assert.Equal(["20261125-030000-dddd", "20261001-030000-bbbb"], (await w.Crawls.ListSinceAsync(DateTimeOffset.MinValue, default)).Select(c => c.CrawlId));
        Assert.Equal(6, await w.ItemTable.ReadRowsAsync("20261001-030000-bbbb", ["说唱"], default).CountAsync());
        Assert.Equal(0, await w.RowsAsync(CrawlItemTable.Name, "20260801-030000-aaaa"));

        // A newer crawl with 说唱's rows (a month on, when bbbb and dddd are past the retention too) frees bbbb.
        w.Time.Advance(TimeSpan.FromDays(31));
        await w.CrawlAsync("20261231-030000-eeee", Now.AddDays(30), both, completed: true, rows: 3, datasetId: 105);
        var later = await w.Step().RunAsync(default);
        Assert.Equal(["20261001-030000-bbbb", "20261125-030000-dddd"], later.Deleted.Order(StringComparer.Ordinal));
        Assert.Empty(later.Kept);
    }

    [Fact]
    public async Task A_newer_completed_crawl_of_every_category_frees_the_old_one_and_missing_poison_queues_are_fine()
    {
        var azurite = azurites.NewAccount();
        var storage = LocalStorage.Clients(azurite);
        var statuses = new InMemoryStatusEntities();
        var time = new FakeTimeProvider(Now);
        var w = new World(storage, statuses, time);
        await w.Crawls.EnsureCreatedAsync(default);
        await w.ItemTable.EnsureCreatedAsync(default); // no queues yet
        await w.Crawls.AddAsync(new CrawlInfo("20261001-030000-eeee", ["说唱"], 0, Now.AddDays(-31), "test"), default);
        await w.Crawls.AddAsync(new CrawlInfo("20261129-030000-ffff", ["说唱"], 0, Now.AddDays(-2), "test"), default);
        foreach (var id in new[] { "20261001-030000-eeee", "20261129-030000-ffff" })
        {
            await statuses.SignalAsync(id, ProgressEvent.Started(id, ["说唱"], 0, Now));
            await statuses.SignalAsync(id, ProgressEvent.PagesPlanned("说唱", 1, Now));
            await statuses.SignalAsync(id, ProgressEvent.PageDone("说唱", 0, 0, Now));
        }
        await w.Items.UpsertEntityAsync(new TableEntity("20261001-030000-eeee", "fetch|7") { ["State"] = "gone" });

        Assert.Empty((await w.Step(retentionDays: "32").RunAsync(default)).Deleted); // 31 days old: within 32 days
        var summary = await w.Step().RunAsync(default);

        Assert.Equal(["20261001-030000-eeee"], summary.Deleted);
        Assert.Empty(summary.Kept);
        Assert.Equal(0, await w.RowsAsync(CrawlItemTable.Name, "20261001-030000-eeee"));
        Assert.Equal(["20261129-030000-ffff"], (await w.Crawls.ListSinceAsync(DateTimeOffset.MinValue, default)).Select(c => c.CrawlId));
    }
}
