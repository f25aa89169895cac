using Azure.Storage.Blobs.Models;
using FunctionsCrawler.Data;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Sandbox;
using FunctionsCrawler.Sandbox.Faults;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// Covers that are decompression bombs (the Sandbox's <c>BombCoverIds</c>), in-process on a real Azurite and the Sandbox
/// over HTTP: the crawl keeps their rows without them, and thumbnails of bombs stored before the pixel budget are
/// answered without decoding them, the process's memory staying far below one decoded frame.
/// </summary>
[Collection(nameof(InProcessStorage))]
public sealed class BombCoverTests(AzuriteFixture azurites, ITestOutputHelper output)
{
    private const string Category = "说唱";
    private const string CrawlId = "20261201-120000-bomb";

    private sealed class Step : InProcessCrawl
    {
        public static async Task<Step> StartAsync(StorageAccount account)
        {
            var (site, services, sink) = await StartCrawlerAsync(account, new SandboxOptions { Seed = 31, PagesPerCategory = 1, DeletedRate = 0 },
                new Dictionary<string, string?> { ["NetEase:ListSource"] = "api", ["Crawler:Tracks"] = "false" });
            return new Step { Site = site, Services = services, Sink = sink };
        }

        /// <summary>The category's one list page and every playlists message it sent, each once.</summary>
        public async Task CrawlAsync()
        {
            await Sink.SignalAsync(CrawlId, ProgressEvent.Started(CrawlId, [Category], 1, DateTimeOffset.UtcNow));
            await Services.GetRequiredService<ScrapeListPage>().RunAsync(new PageWork(CrawlId, Category, 0, 1), new Delivery(1, 5), default);
            var queue = Clients.Queues.GetQueueClient(CrawlQueues.Playlists);
            while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value is { Length: > 0 } messages)
                foreach (var message in messages)
                    await Services.GetRequiredService<ScrapePlaylist>().RunAsync(CrawlQueues.Read<PlaylistWork>(message.Body.ToString()), new Delivery(1, 5), default);
        }
    }

    [Fact]
    public async Task A_crawl_keeps_the_rows_of_bomb_covers_without_them_and_their_thumbnails_decode_nothing()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount());
        var catalog = step.Site.Catalog;
        var expected = catalog.ExpectedRows([Category]).Select(r => r.Playlist).ToList();
        var ordinary = expected.Where(p => p.Kind == CoverKind.Ok).ToList();
        var gif = ordinary.First(p => p.Id % 2 == 0).Id;
        var png = ordinary.First(p => p.Id % 2 == 1).Id;
        step.Site.Options.BombCoverIds = $"{gif},{png}";

        await step.CrawlAsync();

        // Every row is kept; the bombs have no cover, every other image cover is stored.
        var rows = (await step.Services.GetRequiredService<CrawlItemTable>().ReadRowsAsync(CrawlId, [Category], default).ToListAsync())
            .ToDictionary(r => r.Detail.Id);
        Assert.Equal(expected.Select(p => p.Id).Order(), rows.Keys.Order());
        Assert.Null(rows[gif].Cover);
        Assert.Null(rows[png].Cover);
        Assert.All(ordinary.Where(p => p.Id != gif && p.Id != png), p => Assert.NotNull(rows[p.Id].Cover));
        var blobs = step.Services.GetRequiredService<CoverStore>().ContainerClient;
        Assert.False((await blobs.GetBlobClient(CoverStore.BlobName(gif)).ExistsAsync()).Value);
        Assert.False((await blobs.GetBlobClient(CoverStore.BlobName(png)).ExistsAsync()).Value);
        var state = step.Sink.State(CrawlId)!;
        Assert.Equal((rows.Count, 0), (state.Counts[Category].Done, state.Counts[Category].Failed));
        Assert.Equal(rows.Values.Count(r => r.Cover is null), state.MissingCovers);
        string[] bombPaths = [new Uri(catalog.Playlist(gif).CoverUrl).PathAndQuery, new Uri(catalog.Playlist(png).CoverUrl).PathAndQuery];
        Assert.Equal(2, step.Site.Log.Entries().Count(e => bombPaths.Contains(e.PathAndQuery))); // each asked once: a refusal is not retried

        // Bombs stored before the pixel budget (over two recorded covers, as a crawl then stored them): a gallery of their
        // thumbnails, loaded five times, eight requests at once, decodes none of them.
        var victims = ordinary.Where(p => p.Id != gif && p.Id != png).Take(2).Select(p => p.Id).ToArray();
        foreach (var (id, bomb, type) in new[] { (victims[0], CoverBomb.Gif, "image/gif"), (victims[1], CoverBomb.Png, "image/png") })
            await blobs.GetBlobClient(CoverStore.BlobName(id)).UploadAsync(BinaryData.FromBytes(bomb), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = type },
                Metadata = new Dictionary<string, string> { [CoverStore.ShaKey] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bomb)) },
            });
        var route = step.Services.GetRequiredService<CoverRoute>();
        using var memory = new PeakMemory();
        for (var load = 0; load < 5; load++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => route.GetAsync($"{victims[i % 2]}.jpg", "thumb", null, default)));
            Assert.All(answers, a => Assert.Equal(404, a.StatusCode));
            Assert.All(answers, a => Assert.Contains("over the 25-megapixel budget", a.Error));
        }
        var grown = memory.Stop();
        output.WriteLine($"40 thumbnail requests of stored bombs: working set +{grown / 1048576.0:0.0} MiB at its highest, managed heap +{memory.ManagedGrowth / 1048576.0:0.0} MiB");
        Assert.True(grown < 256L << 20, $"the process grew {grown >> 20} MiB"); // one decoded frame of either bomb is 250 MB or more

        // An ordinary cover of the same crawl still has its thumbnail.
        var thumbnail = await route.GetAsync($"{ordinary.First(p => !victims.Contains(p.Id) && p.Id != gif && p.Id != png).Id}.jpg", "thumb", null, default);
        Assert.Equal((200, "image/jpeg"), (thumbnail.StatusCode, thumbnail.ContentType));
    }
}
