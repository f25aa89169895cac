using System.Collections.Concurrent;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Sandbox;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// The list-page and playlist steps in-process, on a real Azurite and the Sandbox over HTTP: a page's playlists travel
/// in one message, a playlist that keeps failing is retried on its own without holding back its page, and a
/// redelivered message neither fetches nor counts anything twice.
/// </summary>
[Collection(nameof(InProcessStorage))]
public sealed class PlaylistStepTests(AzuriteFixture azurites)
{
    private const string Category = "说唱";

    private static async Task<List<(PlaylistWork Work, string Id, string Receipt)>> TakeAsync(StorageClients storage, string queue)
    {
        var client = storage.Queues.GetQueueClient(queue);
        var messages = (await client.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
        return messages.Select(m => (CrawlQueues.Read<PlaylistWork>(m.Body.ToString()), m.MessageId, m.PopReceipt)).ToList();
    }

    [Fact]
    public async Task A_page_goes_in_one_message_a_failing_playlist_is_retried_alone_and_a_redelivery_changes_nothing()
    {
        var azurite = azurites.NewAccount();
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 11, PagesPerCategory = 1, DeletedRate = 0.05 });
        var ids = site.Catalog.PageIds(Category, 0);
        var victim = ids.First(id => site.Catalog.Playlist(id).Kind == CoverKind.Ok);
        site.Options.FailingIds = victim.ToString();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageClients.ConnectionName] = azurite.ConnectionString,
            ["NetEase:BaseUrl"] = site.BaseUrl.ToString(),
            ["NetEase:RequestsPerSecond"] = "1000",
            ["NetEase:SharedPacer"] = "false",
            ["NetEase:RetryDelaySeconds"] = "0.01",
        }).Build();
        var sink = new InMemoryStatusEntities();
        await using var services = new ServiceCollection().AddLogging().AddCrawler(configuration).AddSingleton<ICrawlProgressSink>(sink).BuildServiceProvider();
        var storage = services.GetRequiredService<CrawlStorage>();
        await storage.EnsureCreatedAsync(default);
        var clients = services.GetRequiredService<StorageClients>();
        var items = services.GetRequiredService<CrawlItemTable>();
        const string crawlId = "20261201-120000-step";
        await sink.SignalAsync(crawlId, ProgressEvent.Started(crawlId, [Category], 1, DateTimeOffset.UtcNow));

        await services.GetRequiredService<ScrapeListPage>().RunAsync(new PageWork(crawlId, Category, 0, 1), new Delivery(1, 5), default);
        var sent = Assert.Single(await TakeAsync(clients, CrawlQueues.Playlists));
        Assert.Equal(ids.Distinct().Order(), sent.Work.Items.Select(p => p.Id).Order());
        Assert.All(sent.Work.Items, p => Assert.NotNull(p.ETag));

        var step = services.GetRequiredService<ScrapePlaylist>();
        await step.RunAsync(sent.Work, new Delivery(1, 5), default);
        var deleted = ids.Count(id => site.Catalog.Playlist(id).Deleted);
        var rows = await items.ReadRowsAsync(crawlId, [Category], default).ToListAsync();
        Assert.Equal(ids.Distinct().Count() - deleted - 1, rows.Count); // everything but the deleted ones and the victim
        Assert.DoesNotContain(rows, r => r.Detail.Id == victim);
        Assert.Equal(rows.Count, sink.Count(ProgressEventKind.PlaylistDone));
        Assert.Equal(deleted, sink.Count(ProgressEventKind.PlaylistSkipped));
        var latest = await services.GetRequiredService<PlaylistTable>().ReadCategoryAsync(Category, 100, default);
        Assert.Equal(rows.Select(r => r.Detail.Id).Order(), latest.Rows.Select(r => r.Detail.Id).Order());

        // The victim goes on alone, its try counted; after the last of 5 it ends failed, where requeue-failed finds it.
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            var retry = Assert.Single(await TakeAsync(clients, CrawlQueues.Playlists));
            Assert.Equal([victim], retry.Work.Items.Select(p => p.Id));
            Assert.Equal(attempt - 1, retry.Work.Retries);
            await step.RunAsync(retry.Work, new Delivery(1, 5), default);
        }
        Assert.Empty(await TakeAsync(clients, CrawlQueues.Playlists));
        var poison = Assert.Single(await TakeAsync(clients, CrawlQueues.Playlists + CrawlQueues.PoisonSuffix));
        Assert.Equal([victim], poison.Work.Items.Select(p => p.Id));
        Assert.Equal(1, sink.Count(ProgressEventKind.PlaylistFailed));
        Assert.Equal(CrawlItemTable.Failed, (await items.GetPlaylistAsync(crawlId, Category, victim, default))!.State);

        // The page's message delivered again (its first try's deletion was lost): nothing is fetched or counted again.
        var requests = site.Log.Requests;
        var signals = sink.Events.Count;
        await step.RunAsync(sent.Work, new Delivery(2, 5), default);
        Assert.Equal(requests, site.Log.Requests);
        Assert.Equal(signals, sink.Events.Count);
        Assert.Empty(await TakeAsync(clients, CrawlQueues.Playlists));
        var status = (await sink.ReadAsync(crawlId))!.Counts[Category];
        Assert.Equal((rows.Count, deleted, 1), (status.Done, status.Skipped, status.Failed));

        // The export: every row, every cover; one cover lost from storage is reported, not a failed export.
        var withCover = rows.Where(r => r.Cover is not null).ToList();
        var lost = withCover[0].Detail.Id;
        await services.GetRequiredService<CoverStore>().ContainerClient.DeleteBlobAsync(CoverStore.BlobName(lost));
        var folder = Directory.CreateTempSubdirectory("step-export-").FullName;
        var summary = await services.GetRequiredService<FunctionsCrawler.Export.CrawlExport>()
            .WriteAsync(new CrawlInfo(crawlId, [Category], 1, DateTimeOffset.UtcNow, "test"), folder, default);
        Assert.Equal((rows.Count, withCover.Count - 1, 1), (summary.Rows, summary.Covers, summary.MissingCovers));
        Assert.Equal(withCover.Count - 1, Directory.GetFiles(Path.Combine(folder, "covers")).Length);
        Assert.Equal(rows.Count, Dataset.ReadCsv(Path.Combine(folder, "playlists.csv")).Count);
        Assert.Equal(withCover.Where(r => r.Detail.Id != lost).Sum(r => r.Cover!.Bytes), summary.CoverBytes);
    }
}
