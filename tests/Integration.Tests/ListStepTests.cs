using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Sandbox;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// The list step on the JSON list answers, in-process on a real Azurite and the Sandbox over HTTP: what a list item tells
/// becomes a row without a request, only the new and the moved are sent on to fetch, a long answer is recorded whole,
/// and each hostile answer costs one clear line and nothing else.
/// </summary>
[Collection(nameof(InProcessStorage))]
public sealed class ListStepTests(AzuriteFixture azurites)
{
    private const string Category = "说唱";

    private sealed class Step : InProcessCrawl
    {
        public CrawlItemTable Items => Services.GetRequiredService<CrawlItemTable>();

        public static async Task<Step> StartAsync(StorageAccount account, SandboxOptions options, int listPageSize = 35)
        {
            var (site, services, sink) = await StartCrawlerAsync(account, options, new Dictionary<string, string?>
            {
                ["NetEase:ListSource"] = "api",
                ["NetEase:ListPageSize"] = listPageSize.ToString(),
            });
            return new Step { Site = site, Services = services, Sink = sink };
        }

        /// <summary>Page <paramref name="index"/> of the category in crawl <paramref name="crawlId"/>; returns the playlists messages it sent.</summary>
        public async Task<List<PlaylistWork>> ListPageAsync(string crawlId, int index = 0, int maxPages = 1)
        {
            await Sink.SignalAsync(crawlId, ProgressEvent.Started(crawlId, [Category], maxPages, DateTimeOffset.UtcNow));
            await Services.GetRequiredService<ScrapeListPage>().RunAsync(new PageWork(crawlId, Category, index, maxPages), new Delivery(1, 5), default);
            var client = Clients.Queues.GetQueueClient(CrawlQueues.Playlists);
            var sent = new List<PlaylistWork>();
            while ((await client.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value is { Length: > 0 } messages)
                sent.AddRange(messages.Select(m => CrawlQueues.Read<PlaylistWork>(m.Body.ToString())));
            return sent;
        }

    }

    [Fact]
    public async Task A_known_playlist_with_the_same_cover_is_recorded_from_the_list_and_only_the_new_and_the_moved_are_fetched()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount(), new SandboxOptions { Seed = 21, PagesPerCategory = 1, DeletedRate = 0 });
        var catalog = step.Site.Catalog;

        // Day 0: nothing is known, so every listed playlist goes on to its cover and track list fetch; its fields are the list's.
        var first = await step.ListPageAsync("20261201-000000-day0");
        var day0 = catalog.ExpectedRows([Category]).ToDictionary(r => r.Playlist.Id, r => r.Playlist);
        Assert.Equal(day0.Keys.Order(), first.SelectMany(w => w.Playlists).Select(p => p.Id).Order());
        Assert.All(first.SelectMany(w => w.Playlists), p => Assert.True(p.Listed && p.New));
        foreach (var work in first) await step.Services.GetRequiredService<ScrapePlaylist>().RunAsync(work, new Delivery(1, 5), default);
        Assert.DoesNotContain(step.Site.Log.Entries(), e => e.Kind is "playlist");
        Assert.Equal(day0.Count, step.Site.Log.Entries().Count(e => e.Kind is "api")); // each one's JSON detail, for its tracks



        // Day 1: the same page again; only what is new to the category, whose cover moved or whose tracks changed is sent on.
        step.Site.Options.Day = 1;
        var requestsBefore = step.Site.Log.Entries().Count;
        var second = await step.ListPageAsync("20261202-000000-day1");
        var day1 = catalog.ExpectedRows([Category]).ToDictionary(r => r.Playlist.Id, r => r.Playlist);
        var expectedSent = day1.Values.Where(p => !day0.TryGetValue(p.Id, out var old) || old.CoverUrl != p.CoverUrl || old.TracksUpdatedAt != p.TracksUpdatedAt)
            .Select(p => p.Id).Order().ToList();
        Assert.Equal(expectedSent, second.SelectMany(w => w.Playlists).Select(p => p.Id).Order());
        Assert.Equal(["listApi"], step.Site.Log.Entries().Skip(requestsBefore).Select(e => e.Kind).Distinct());

        // The rows recorded from the list are the day's own values, with the cover stored on day 0.
        var rows = await step.Items.ReadRowsAsync("20261202-000000-day1", [Category], default).ToListAsync();
        Assert.Equal(day1.Count - expectedSent.Count, rows.Count);
        foreach (var row in rows)
        {
            var p = day1[row.Detail.Id];
            Assert.Equal((p.Name, p.PlayCount, p.SubscribedCount, p.TrackCount), (row.Detail.Name, row.Detail.PlayCount, row.Detail.SubscribedCount, row.Detail.TrackCount));
            Assert.Equal(p.Kind == CoverKind.Ok, row.Cover is not null);
        }
        var state = step.Sink.State("20261202-000000-day1")!;
        Assert.True(rows.Count == state.Counts[Category].Refreshed, System.Text.Json.JsonSerializer.Serialize(state.Counts));
    }

    [Fact]
    public async Task A_list_answer_of_100_playlists_is_recorded_whole()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount(), new SandboxOptions { Seed = 22, PagesPerCategory = 4, DeletedRate = 0 }, listPageSize: 100);
        var sent = await step.ListPageAsync("20261201-000000-long", maxPages: 1);
        var expected = step.Site.Catalog.ListedIds(Category).Take(100).Distinct().Order().ToList();
        Assert.Equal(expected, sent.SelectMany(w => w.Playlists).Select(p => p.Id).Order());
        Assert.All(sent, w => Assert.True(w.Playlists.Count <= PlaylistWork.MaxPlaylists));
        Assert.True(await step.Items.IsPageFinishedAsync("20261201-000000-long", Category, 0, default));
    }

    [Fact]
    public async Task A_total_past_any_category_is_capped_and_a_list_that_is_not_one_falls_back_to_the_list_pages()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount(), new SandboxOptions { Seed = 23, PagesPerCategory = 2, DeletedRate = 0, ListTotal = 9_000_000_000_000 });
        await step.ListPageAsync("20261201-000000-total", maxPages: 0);
        var plan = await step.Items.ReadPlansAsync("20261201-000000-total", default);
        Assert.Equal(ScrapeListPage.MaxPagesPerCategory, plan[Category]);
        Assert.Contains(step.Sink.State("20261201-000000-total")!.RecentErrors, e => e.Message.Contains("more than the 100 a category can have", StringComparison.Ordinal));

        step.Site.Options.ListTotal = 0;
        step.Site.Options.NotAListCategories = Category;
        var sent = await step.ListPageAsync("20261201-000000-html", maxPages: 0);
        Assert.Equal(ListSources.Page, await step.Items.PlannedListsAsync("20261201-000000-html", Category, default));
        Assert.Equal(step.Site.Catalog.PageIds(Category, 0).Distinct().Order(), sent.SelectMany(w => w.Playlists).Select(p => p.Id).Order());
        Assert.All(sent.SelectMany(w => w.Playlists), p => Assert.False(p.Listed)); // HTML items carry too little: fetched in detail
        var pages = step.Site.Log.Entries().Where(e => e.Kind == "list").ToList();
        Assert.Single(pages); // page 0 from HTML in the same step; page 1 is enqueued as a list page
    }
}
