using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Sandbox;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// Keeping a playlist's track list (<see cref="FetchTracks"/>) in-process, on a real Azurite and the Sandbox over HTTP:
/// the one-song answer pauses the crawl and stores nothing; a list is stored with its songs, each song asked for once in
/// batches; a song the site does not know is kept as unknown and not asked again; a list far from its count is kept, flagged.
/// </summary>
[Collection(nameof(InProcessStorage))]
public sealed class TrackStepTests(AzuriteFixture azurites)
{
    private const string CrawlId = "20261207-120000-tracks";
    private const string Category = "说唱";

    private sealed class Step : InProcessCrawl
    {
        public NetEaseClient Client => Services.GetRequiredService<NetEaseClient>();
        public FetchTracks Tracks => Services.GetRequiredService<FetchTracks>();
        public PlaylistTracksTable Lists => Services.GetRequiredService<PlaylistTracksTable>();
        public TrackTable Songs => Services.GetRequiredService<TrackTable>();
        public long SongRequests => Site.Log.Entries().Count(e => e.Kind == "songApi");

        public static async Task<Step> StartAsync(StorageAccount account, int batch = 200)
        {
            var (site, services, sink) = await StartCrawlerAsync(account, new SandboxOptions { Seed = 19, PagesPerCategory = 1, DeletedRate = 0 },
                new Dictionary<string, string?> { ["NetEase:SongBatchSize"] = batch.ToString() });
            await sink.SignalAsync(CrawlId, ProgressEvent.Started(CrawlId, [Category], 1, DateTimeOffset.UtcNow));
            return new Step { Site = site, Services = services, Sink = sink };
        }

        /// <summary>A playlist of the page whose list holds at least <paramref name="tracks"/> songs.</summary>
        public long PlaylistWith(int tracks, int skip = 0) =>
            Site.Catalog.PageIds(Category, 0).Where(id => Site.Catalog.Tracks(id).Count >= tracks).Skip(skip).First();

        public async Task<PlaylistTracks> ReadAsync(long id) => (await Client.GetPlaylistWithTracksAsync(id, default)).Value!.Tracks;

    }

    [Fact]
    public async Task A_one_song_list_of_a_long_playlist_pauses_the_crawl_and_stores_nothing()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount());
        var id = step.PlaylistWith(10);
        step.Site.Options.OneTrackIds = id.ToString();

        var tracks = await step.ReadAsync(id);
        Assert.Single(tracks.Tracks);
        var result = await step.Tracks.RunAsync(CrawlId, tracks, default);

        Assert.Null(result.Tracks);
        Assert.NotNull(result.Defer);
        Assert.Equal(0, step.SongRequests);
        Assert.Null(await step.Lists.ReadAsync(id, PlaylistTracksTable.KeyOf(tracks, CrawlId), default));
        var status = step.Sink.State(CrawlId)!;
        Assert.NotNull(status.PausedUntil);
        Assert.Contains("distrusts", status.PauseReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_is_stored_in_order_with_its_songs_each_song_asked_for_once_in_batches()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount(), batch: 50);
        var first = step.PlaylistWith(120);
        var truth = step.Site.Catalog.Tracks(first);

        var kept = await step.Tracks.RunAsync(CrawlId, await step.ReadAsync(first), default);

        Assert.NotNull(kept.Tracks);
        Assert.Null(kept.Tracks.Flag);
        Assert.Equal(truth.Count, kept.Tracks.Listed);
        var stored = await step.Lists.ReadAsync(first, kept.Tracks.Key, default);
        Assert.Equal(truth.Select(t => (t.SongId, t.AddedAt)), stored!.Select(t => (t.TrackId, t.AddedAt!.Value)));
        Assert.Equal((truth.Count + 49) / 50, step.SongRequests);
        var songs = await step.Songs.GetAsync(truth.Select(t => t.SongId), default);
        Assert.Equal(truth.Count, songs.Count);
        Assert.All(truth, t => Assert.Equal(step.Site.Catalog.Song(t.SongId).Name.Trim(), songs[t.SongId].Name));

        // The same list again (another category's row, a later crawl): its songs are known, so no song is asked for.
        var before = step.SongRequests;
        var again = await step.Tracks.RunAsync(CrawlId, await step.ReadAsync(first), default);
        Assert.Equal(kept.Tracks.Key, again.Tracks!.Key);
        Assert.Equal(before, step.SongRequests);
    }

    [Fact]
    public async Task Playlists_fetched_together_share_their_song_batches_and_a_song_in_both_is_asked_for_once()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount(), batch: 1000);
        var both = step.Site.Catalog.PageIds(Category, 0).Where(id => step.Site.Catalog.Tracks(id).Count >= 10)
            .OrderBy(id => step.Site.Catalog.Tracks(id).Count).Take(2).ToList();
        var (a, b) = (both[0], both[1]);
        var lists = await Task.WhenAll(step.ReadAsync(a), step.ReadAsync(b));
        var songs = lists.SelectMany(l => l.Tracks).Select(t => t.TrackId).Distinct().Count();
        Assert.True(songs <= 1000, $"{songs} songs: the test wants them in one batch");

        var kept = await Task.WhenAll(lists.Select(l => step.Tracks.RunAsync(CrawlId, l, default)));

        Assert.All(kept, k => Assert.NotNull(k.Tracks));
        Assert.Equal(1, step.SongRequests);
        Assert.Equal(songs, (await step.Songs.GetAsync(lists.SelectMany(l => l.Tracks).Select(t => t.TrackId), default)).Count);
    }

    [Fact]
    public async Task A_song_the_site_does_not_know_is_kept_unknown_and_not_asked_again_and_a_list_far_from_its_count_is_flagged()
    {
        await using var step = await Step.StartAsync(azurites.NewAccount());
        var id = step.PlaylistWith(5);
        var real = await step.ReadAsync(id);
        const long unknownSong = 3; // not in the Sandbox's pool (its ids have 6 digits or more)
        var tracks = real with
        {
            TrackCount = real.Tracks.Count + 10,
            Tracks = [.. real.Tracks, new PlaylistTrack(unknownSong, real.Tracks.Count, null)],
        };

        var kept = await step.Tracks.RunAsync(CrawlId, tracks, default);

        Assert.Equal(real.Tracks.Count + 1, kept.Tracks!.Listed);
        Assert.Contains("more than the site's lag", kept.Tracks.Flag, StringComparison.Ordinal);
        var stored = await step.Lists.ReadAsync(id, kept.Tracks.Key, default);
        Assert.Equal(unknownSong, stored![^1].TrackId);
        Assert.Null(stored[^1].AddedAt);
        Assert.DoesNotContain(unknownSong, (await step.Songs.GetAsync([unknownSong], default)).Keys);
        Assert.Empty(await step.Songs.UnknownAsync([unknownSong], default));
        var before = step.SongRequests;
        await step.Tracks.RunAsync(CrawlId, tracks, default);
        Assert.Equal(before, step.SongRequests);
    }
}
