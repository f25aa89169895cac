using System.Text.Json;
using FunctionsCrawler.Sandbox;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// The daily refresh as a user runs it (issue 18): a crawl of the JSON list answers on the Sandbox's day 0, then, with
/// the Sandbox moved one day forward, a second run that refreshes the dataset from the lists — a detail request only
/// where a list item lacks a field, a cover only where it is new or moved — and exports exactly the Sandbox's day-1
/// truth, with both days in the history.
/// </summary>
public sealed class DailyRefreshTests(AzuriteFixture azurites) : IClassFixture<AzuriteFixture>
{
    private static readonly string[] Categories = ["说唱", "华语"];
    private const int MaxPages = 2; // two per category: list answers to block after the first two
    /// <summary>Up to 60 tracks an ordinary playlist (the site's own draw, scaled down; over-1,000 lists stay): the same
    /// cases as hundreds, a tenth of the songs to fetch and store.</summary>
    private const int ShortLists = 60;

    [Fact]
    public async Task Day_one_refreshes_from_the_lists_exports_the_days_truth_and_keeps_both_days_in_the_history()
    {
        var azurite = azurites.NewAccount();
        await using var site = await SandboxSite.StartAsync(new SandboxOptions
        {
            // Covers from a host of their own, as the real site's come from its image CDN: the crawl paces them apart.
            Seed = 18, PagesPerCategory = MaxPages, DeletedRate = 0.03, MaxTrackCount = ShortLists, CoverPort = FreePort.Next(),
        });

        // Day 0: every playlist is new, so each distinct cover is fetched and each one's track list (the JSON detail, once an
        // id); no list item lacks a field, so no detail page.
        // The site blocks list answers after the first two (every shape in turn, a second each): the crawl pauses and goes on.
        site.Options.BlockAfterRequests = 2;
        site.Options.BlockForSeconds = 1;
        // The block windows stop once a list answer was blocked: every JSON detail and song request counts towards the next one.
        var listsBlocked = Task.Run(async () =>
        {
            while (!site.Log.Entries().Any(e => e.Kind == "listApi" && e.Outcome == "blocked")) await Task.Delay(20);
            site.Options.BlockAfterRequests = 0;
        });
        var day0 = await CrawlAsync(azurite, site, "day0");
        await listsBlocked.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains(site.Log.Entries(), e => e.Kind == "listApi" && e.Outcome == "blocked");
        site.Options.BlockAfterRequests = 0;
        await Dataset.AssertMatchesSandboxAsync(day0.Output, site.Catalog, Categories, MaxPages, azurite);
        Dataset.AssertFinalStatus(day0.Status, site.Catalog, Categories, MaxPages, apiLists: true);
        var rows0 = site.Catalog.ExpectedRows(Categories, MaxPages);
        Assert.Equal(0, day0.Requests.GetValueOrDefault("playlist"));
        Assert.Equal(rows0.Select(r => r.Playlist.Id).Distinct().Count(), day0.Answered.GetValueOrDefault("api"));
        Assert.Equal(rows0.Count, day0.Status.GetProperty("playlists").GetProperty("new").GetInt32());
        var songs0 = await Dataset.AssertTracksMatchSandboxAsync(site.Catalog, Categories, MaxPages, azurite, day0.Output);
        // Songs are asked for in batches of up to 200, each new song once.
        Assert.InRange(day0.Answered.GetValueOrDefault("songApi"), (songs0 + 199) / 200, songs0 / 100 + rows0.Count);

        // Day 1: the lists again, and only what changed.
        site.Options.Day = 1;
        var day1 = await CrawlAsync(azurite, site, "day1");
        await Dataset.AssertMatchesSandboxAsync(day1.Output, site.Catalog, Categories, MaxPages, azurite);
        var rows1 = site.Catalog.ExpectedRows(Categories, MaxPages);
        var before = rows0.ToDictionary(r => (r.Category, r.Playlist.Id), r => r.Playlist);
        var after = rows1.ToDictionary(r => (r.Category, r.Playlist.Id), r => r.Playlist);
        var fresh = after.Keys.Where(k => !before.ContainsKey(k)).ToList();
        var gone = before.Keys.Where(k => !after.ContainsKey(k)).ToList();
        // A cover is fetched for an id new to a category's dataset or whose cover moved (each id once).
        var coversToFetch = after.Where(a => a.Value.Kind != CoverKind.ForeignHost
                && (!before.TryGetValue(a.Key, out var old) || old.CoverUrl != a.Value.CoverUrl))
            .Select(a => a.Key.Item2).Distinct().Count();
        var pages = Categories.Sum(c => Math.Min(site.Catalog.TotalPages(c), MaxPages));
        // A track list is asked for (the JSON detail) where the playlist is new to the category or its tracks changed.
        var tracksToFetch = after.Where(a => !before.TryGetValue(a.Key, out var old) || old.TracksUpdatedAt != a.Value.TracksUpdatedAt).ToList();
        Assert.NotEmpty(tracksToFetch);
        Assert.Equal(0, day1.Requests.GetValueOrDefault("playlist"));
        Assert.Equal(tracksToFetch.Select(a => a.Key.Item2).Distinct().Count(), day1.Answered.GetValueOrDefault("api"));
        Assert.Equal(pages, day1.Requests.GetValueOrDefault("listApi"));
        Assert.Equal(coversToFetch, day1.Requests.GetValueOrDefault("cover"));
        var figures = day1.Status.GetProperty("playlists");
        Assert.Equal(fresh.Count, figures.GetProperty("new").GetInt32());
        Assert.Equal(gone.Count, figures.GetProperty("gone").GetInt32());
        // Every row came from the lists; only the new or changed track lists needed a detail request.
        Assert.Equal(tracksToFetch.Count, figures.GetProperty("detailed").GetInt32());
        Assert.Equal(after.Count - tracksToFetch.Count, figures.GetProperty("refreshed").GetInt32());
        await Dataset.AssertTracksMatchSandboxAsync(site.Catalog, Categories, MaxPages, azurite, day1.Output);

        // The history holds both days' counters for every playlist listed both days.
        var history = await ReadHistoryAsync(Path.Combine(day1.Output, "playlist_history.parquet"));
        foreach (var key in after.Keys.Where(before.ContainsKey))
        {
            var points = history.Where(h => h.Category == key.Category && h.Id == key.Item2).OrderBy(h => h.At).ToList();
            Assert.True(points.Count == 2, $"{key}: {points.Count} history rows");
            Assert.Equal([before[key].PlayCount, after[key].PlayCount], points.Select(p => p.Plays));
        }
    }

    /// <param name="Answered">The requests of each kind the site answered (not blocked, not failed).</param>
    private sealed record Run(string Output, JsonElement Status, IReadOnlyDictionary<string, long> Requests, IReadOnlyDictionary<string, long> Answered);

    private static async Task<Run> CrawlAsync(StorageAccount azurite, SandboxSite site, string name)
    {
        var output = Directory.CreateTempSubdirectory($"crawl-{name}-").FullName;
        var requestsBefore = site.Log.Entries().Count;
        await using (var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["NetEase:BaseUrl"] = site.BaseUrl.ToString(),
            ["NetEase:ImageHosts"] = site.CoverBaseUrl.Authority,
            ["NetEase:RequestsPerSecond"] = "50",
            ["NetEase:ListSource"] = "api",
            ["NetEase:BlockPauseSeconds"] = "1",
            ["Crawler:Categories"] = string.Join(',', Categories),
            ["Crawler:MaxPages"] = MaxPages.ToString(),
            ["Run:Crawl"] = "true",
            ["Run:Once"] = "true",
            ["Run:Out"] = output,
            ["Run:LineSeconds"] = "1",
        }))
        {
            var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(4));
            Assert.True(exitCode == 0, $"host exited {exitCode}:\n{host.Output}");
        }
        var requests = site.Log.Entries().Skip(requestsBefore).GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => (long)g.Count());
        var answered = site.Log.Entries().Skip(requestsBefore).Where(e => e.Outcome == "ok").GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => (long)g.Count());
        await using var server = StatusReader.On(azurite);
        return new Run(output, await server.StatusAsync(), requests, answered);
    }

    /// <summary>The columns of <c>playlist_history.parquet</c> the test reads, by their exported names.</summary>
    public sealed class HistoryRow
    {
        [System.Text.Json.Serialization.JsonPropertyName("playlist_id")] public long Id { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("category")] public string Category { get; set; } = "";
        [System.Text.Json.Serialization.JsonPropertyName("crawled_at")] public DateTime At { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("play_count")] public long Plays { get; set; }
    }

    private static async Task<List<HistoryRow>> ReadHistoryAsync(string path)
    {
        await using var file = File.OpenRead(path);
        var result = await Parquet.Serialization.ParquetSerializer.DeserializeAsync<HistoryRow>(file, null, null, CancellationToken.None);
        return result.Data.ToList();
    }
}
