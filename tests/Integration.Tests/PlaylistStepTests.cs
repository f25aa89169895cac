using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Sandbox;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// The list-page and playlist steps in-process, on a real Azurite and the Sandbox over HTTP, one behaviour a test: a
/// page's playlists travel in one message, a playlist that keeps failing is retried on its own without holding back its
/// page and ends failed after its last try, a redelivered message neither fetches nor counts anything twice, and the
/// export reports a lost cover instead of failing.
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

    /// <summary>One page of the Sandbox (one playlist on it always failing), the crawler's services on a fresh account, a started crawl.</summary>
    private sealed class Step : InProcessCrawl
    {
        public const string CrawlId = "20261201-120000-step";
        public required long Victim { get; init; }
        public IReadOnlyList<long> Ids => Site.Catalog.PageIds(Category, 0);
        public int Deleted => Ids.Count(id => Site.Catalog.Playlist(id).Deleted);
        public CrawlItemTable Items => Services.GetRequiredService<CrawlItemTable>();
        public ScrapePlaylist Playlists => Services.GetRequiredService<ScrapePlaylist>();

        public static async Task<Step> StartAsync(StorageAccount account)
        {
            var (site, services, sink) = await StartCrawlerAsync(account, new SandboxOptions { Seed = 11, PagesPerCategory = 1, DeletedRate = 0.05 },
                new Dictionary<string, string?>
                {
                    ["NetEase:ListSource"] = "page", // HTML list pages and a detail request per playlist: what this test is about
                });
            var victim = site.Catalog.PageIds(Category, 0).First(id => site.Catalog.Playlist(id).Kind == CoverKind.Ok);
            site.Options.FailingIds = victim.ToString();
            await sink.SignalAsync(CrawlId, ProgressEvent.Started(CrawlId, [Category], 1, DateTimeOffset.UtcNow));
            return new Step { Site = site, Services = services, Sink = sink, Victim = victim };
        }

        /// <summary>The list page's step; returns the one playlists message it sent.</summary>
        public async Task<(PlaylistWork Work, string Id, string Receipt)> ListPageAsync()
        {
            await Services.GetRequiredService<ScrapeListPage>().RunAsync(new PageWork(CrawlId, Category, 0, 1), new Delivery(1, 5), default);
            return Assert.Single(await TakeAsync(Clients, CrawlQueues.Playlists));
        }

        /// <summary>The list page, then its playlists' message once: every playlist but the victim is recorded.</summary>
        public async Task<PlaylistWork> FirstPassAsync()
        {
            var sent = await ListPageAsync();
            await Playlists.RunAsync(sent.Work, new Delivery(1, 5), default);
            return sent.Work;
        }

        /// <summary>The victim's retries, tries 2 to 5, each checked to carry the victim alone with its try counted.</summary>
        public async Task RetryVictimToTheLastTryAsync()
        {
            for (var attempt = 2; attempt <= 5; attempt++)
            {
                var retry = Assert.Single(await TakeAsync(Clients, CrawlQueues.Playlists));
                Assert.Equal([Victim], retry.Work.Playlists.Select(p => p.Id));
                Assert.Equal(attempt - 1, retry.Work.Retries);
                await Playlists.RunAsync(retry.Work, new Delivery(1, 5), default);
            }
        }

        public async Task<List<PlaylistRecord>> RowsAsync() => await Items.ReadRowsAsync(CrawlId, [Category], default).ToListAsync();

    }

    [Fact]
    public async Task A_list_page_sends_its_playlists_in_one_message_with_their_row_etags()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount());
        var sent = await step.ListPageAsync();
        Assert.Equal(step.Ids.Distinct().Order(), sent.Work.Playlists.Select(p => p.Id).Order());
        Assert.All(sent.Work.Playlists, p => Assert.NotNull(p.ETag));
    }

    [Fact]
    public async Task A_playlists_message_records_every_playlist_but_the_deleted_and_the_failing_one()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount());
        await step.FirstPassAsync();
        var rows = await step.RowsAsync();
        Assert.Equal(step.Ids.Distinct().Count() - step.Deleted - 1, rows.Count); // everything but the deleted ones and the victim
        Assert.DoesNotContain(rows, r => r.Detail.Id == step.Victim);
        Assert.Equal(rows.Count, step.Sink.Count(ProgressEventKind.PlaylistDone));
        Assert.Equal(step.Deleted, step.Sink.Count(ProgressEventKind.PlaylistSkipped));
        var latest = await step.Services.GetRequiredService<PlaylistTable>().ReadCategoryAsync(Category, 100, default);
        Assert.Equal(rows.Select(r => r.Detail.Id).Order(), latest.Rows.Select(r => r.Detail.Id).Order());
    }

    [Fact]
    public async Task A_failing_playlist_is_retried_alone_with_its_try_counted()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount());
        await step.FirstPassAsync();
        var retry = Assert.Single(await TakeAsync(step.Clients, CrawlQueues.Playlists));
        Assert.Equal([step.Victim], retry.Work.Playlists.Select(p => p.Id));
        Assert.Equal(1, retry.Work.Retries);
        Assert.Equal(0, step.Sink.Count(ProgressEventKind.PlaylistFailed));
    }

    [Fact]
    public async Task After_its_last_try_a_failing_playlist_is_counted_failed_once_and_waits_in_the_poison_queue()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount());
        await step.FirstPassAsync();
        await step.RetryVictimToTheLastTryAsync();
        Assert.Empty(await TakeAsync(step.Clients, CrawlQueues.Playlists));
        var poison = Assert.Single(await TakeAsync(step.Clients, CrawlQueues.Playlists + CrawlQueues.PoisonSuffix));
        Assert.Equal([step.Victim], poison.Work.Playlists.Select(p => p.Id));
        Assert.Equal(1, step.Sink.Count(ProgressEventKind.PlaylistFailed));
        Assert.Equal(CrawlItemTable.Failed, (await step.Items.GetPlaylistAsync(Step.CrawlId, Category, step.Victim, default))!.State);
    }

    [Fact]
    public async Task A_redelivered_playlists_message_fetches_and_counts_nothing_again()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount());
        var first = await step.FirstPassAsync();
        await step.RetryVictimToTheLastTryAsync();
        var rows = await step.RowsAsync();

        // The page's message delivered again (its first try's deletion was lost): nothing is fetched or counted again.
        var requests = step.Site.Log.Requests;
        var signals = step.Sink.Events.Count;
        await step.Playlists.RunAsync(first, new Delivery(2, 5), default);
        Assert.Equal(requests, step.Site.Log.Requests);
        Assert.Equal(signals, step.Sink.Events.Count);
        Assert.Empty(await TakeAsync(step.Clients, CrawlQueues.Playlists));
        var status = (await step.Sink.ReadAsync(Step.CrawlId))!.Counts[Category];
        Assert.Equal((rows.Count, step.Deleted, 1), (status.Done, status.Skipped, status.Failed));
    }

    [Fact]
    public async Task The_export_writes_every_row_and_cover_and_reports_a_cover_lost_from_storage_instead_of_failing()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount());
        await step.FirstPassAsync();
        var rows = await step.RowsAsync();
        var withCover = rows.Where(r => r.Cover is not null).ToList();
        var lost = withCover[0].Detail.Id;
        await step.Services.GetRequiredService<CoverStore>().ContainerClient.DeleteBlobAsync(CoverStore.BlobName(lost));
        var folder = Directory.CreateTempSubdirectory("step-export-").FullName;
        var summary = await step.Services.GetRequiredService<FunctionsCrawler.Export.CrawlExport>()
            .WriteAsync(new CrawlInfo(Step.CrawlId, [Category], 1, DateTimeOffset.UtcNow, "test"), folder, default);
        Assert.Equal((rows.Count, withCover.Count - 1, 1), (summary.Rows, summary.Covers, summary.MissingCovers));
        Assert.Equal(withCover.Count - 1, Directory.GetFiles(Path.Combine(folder, "covers")).Length);
        Assert.Equal(rows.Count, Dataset.ReadCsv(Path.Combine(folder, "playlists.csv")).Count);
        Assert.Equal(withCover.Where(r => r.Detail.Id != lost).Sum(r => r.Cover!.Bytes), summary.CoverBytes);
    }
}
