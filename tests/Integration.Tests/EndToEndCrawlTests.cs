using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using CsvHelper;
using FunctionsCrawler.Sandbox;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// The whole crawl on real engines: Azurite, the Sandbox over real HTTP, the WebJobs host with its
/// queue triggers and Durable entity, run as ./run.sh runs it. Every figure is checked against the
/// Sandbox's own data, never against the crawler's output.
/// </summary>
public sealed class EndToEndCrawlTests
{
    private static readonly string[] Categories = ["说唱", "华语"];
    private const int MaxPages = 3;

    [Fact]
    public async Task Crawl_of_two_categories_exports_exactly_what_the_sandbox_serves()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 7, PagesPerCategory = MaxPages, DeletedRate = 0.05 });
        var output = Directory.CreateTempSubdirectory("crawl-export-").FullName;

        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["NetEase:BaseUrl"] = site.BaseUrl.ToString(),
            ["NetEase:RequestsPerSecond"] = "50",
            ["Crawler:Categories"] = string.Join(',', Categories),
            ["Crawler:MaxPages"] = MaxPages.ToString(),
            ["Run:Crawl"] = "true",
            ["Run:Once"] = "true",
            ["Run:Out"] = output,
            ["Run:LineSeconds"] = "1",
        });
        var watching = WatchStatusAsync(host);
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(4));
        var seen = await watching;
        Assert.True(exitCode == 0, $"host exited {exitCode}:\n{host.Output}");

        var expected = site.Catalog.ExpectedRows(Categories, MaxPages);
        Assert.NotEmpty(expected);

        // CSV: one row per (category, playlist), every field equal to the Sandbox's data.
        var csvPath = Path.Combine(output, "playlists.csv");
        var bytes = await File.ReadAllBytesAsync(csvPath);
        Assert.True(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "CSV starts with a UTF-8 BOM");
        var rows = ReadCsv(csvPath);
        Assert.Equal(expected.Count, rows.Count);
        var byKey = rows.ToDictionary(r => (r["category"], long.Parse(r["playlist_id"])));
        foreach (var (category, p) in expected)
        {
            Assert.True(byKey.TryGetValue((category, p.Id), out var row), $"no row for {p.Id} in {category}");
            Assert.Equal(Guarded(p.Name), row["name"]);
            Assert.Equal(p.CreatorId.ToString(), row["creator_id"]);
            Assert.Equal(Guarded(p.CreatorNickname), row["creator_nickname"]);
            Assert.Equal(Guarded(p.Description), row["description"]);
            Assert.Equal(p.TrackCount.ToString(), row["track_count"]);
            Assert.Equal(p.PlayCount.ToString(), row["play_count"]);
            Assert.Equal(p.SubscribedCount.ToString(), row["subscribed_count"]);
            Assert.Equal(p.ShareCount.ToString(), row["share_count"]);
            Assert.Equal(p.CommentCount.ToString(), row["comment_count"]);
            Assert.Equal(Guarded(string.Join(';', p.Tags)), row["tags"]);
            Assert.Equal(p.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), row["created_at"]);
            Assert.Equal(p.CoverUrl, row["cover_url"]);
            if (p.Kind == CoverKind.Ok)
            {
                var cover = site.Catalog.CoverBytes(p.Id);
                Assert.Equal($"covers/{p.Id}.jpg", row["cover_blob"]);
                Assert.Equal(cover.Length.ToString(), row["cover_bytes"]);
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(cover)), row["cover_sha256"]);
            }
            else
            {
                Assert.Equal("", row["cover_blob"]);
                Assert.Equal("", row["cover_bytes"]);
            }
        }
        Assert.Contains(expected, e => e.Playlist.PlayCount > int.MaxValue);
        Assert.Contains(expected, e => e.Playlist.HasHostileText);

        // JSONL keeps raw (unguarded) text.
        var jsonl = (await File.ReadAllLinesAsync(Path.Combine(output, "playlists.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(expected.Count, jsonl.Count);
        var names = jsonl.ToDictionary(j => (j.GetProperty("category").GetString()!, j.GetProperty("playlist_id").GetInt64()), j => j.GetProperty("name").GetString());
        foreach (var (category, p) in expected) Assert.Equal(p.Name, names[(category, p.Id)]);

        // Covers: every stored cover, byte for byte, as exported files and as blobs.
        var withCover = expected.Select(e => e.Playlist).Where(p => p.Kind == CoverKind.Ok).DistinctBy(p => p.Id).ToList();
        var container = new BlobContainerClient(azurite.ConnectionString, "covers");
        foreach (var p in withCover)
        {
            var cover = site.Catalog.CoverBytes(p.Id);
            Assert.Equal(cover, await File.ReadAllBytesAsync(Path.Combine(output, "covers", $"{p.Id}.jpg")));
            var blob = await container.GetBlobClient($"{p.Id}.jpg").DownloadContentAsync();
            Assert.Equal(cover, blob.Value.Content.ToArray());
            Assert.Equal("image/jpeg", blob.Value.Details.ContentType);
        }
        Assert.Equal(withCover.Count, Directory.GetFiles(Path.Combine(output, "covers")).Length);

        // Status: it answered while the crawl ran; its final counts are exact (read from a host started afresh).
        Assert.Contains(seen, s => s.GetProperty("state").GetString() == "running");
        await using var server = HostProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        var final = await ReadStatusAsync(server);
        Assert.Equal("completed", final.GetProperty("state").GetString());
        var deletedPairs = ListedPairs(site.Catalog).Count(pair => site.Catalog.Playlist(pair.Id).Deleted);
        var playlists = final.GetProperty("playlists");
        Assert.Equal(expected.Count, playlists.GetProperty("done").GetInt32());
        Assert.Equal(deletedPairs, playlists.GetProperty("skipped").GetInt32());
        Assert.Equal(0, playlists.GetProperty("failed").GetInt32());
        Assert.Equal(expected.Count + deletedPairs, playlists.GetProperty("discovered").GetInt32());
        var pagesTotal = Categories.Sum(c => Math.Min(site.Catalog.TotalPages(c), MaxPages));
        Assert.Equal(pagesTotal, final.GetProperty("pages").GetProperty("total").GetInt32());
        Assert.Equal(pagesTotal, final.GetProperty("pages").GetProperty("done").GetInt32());
        Assert.Equal(withCover.Count, final.GetProperty("covers").GetProperty("stored").GetInt32());
        Assert.Equal(withCover.Sum(p => (long)site.Catalog.CoverBytes(p.Id).Length), final.GetProperty("covers").GetProperty("bytes").GetInt64());
    }

    private static IEnumerable<(string Category, long Id)> ListedPairs(SandboxCatalog catalog) =>
        Categories.SelectMany(c => Enumerable.Range(0, Math.Min(catalog.TotalPages(c), MaxPages))
            .SelectMany(page => catalog.PageIds(c, page)).Distinct().Select(id => (c, id)));

    /// <summary>The design's formula guard: a text cell starting with = + - @ tab or CR gets a leading apostrophe.</summary>
    private static string Guarded(string text) => text.Length > 0 && "=+-@\t\r".Contains(text[0]) ? "'" + text : text;

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var reader = CsvReader.FromFile(path, CsvReaderOptions.Default, FileOptions.None);
        reader.ReadHeader();
        var header = new[]
        {
            "playlist_id", "category", "name", "creator_id", "creator_nickname", "description", "track_count", "play_count",
            "subscribed_count", "share_count", "comment_count", "tags", "created_at", "cover_url", "cover_blob", "cover_bytes",
            "cover_sha256", "crawled_at",
        };
        Assert.Equal(string.Join(',', header), File.ReadLines(path).First().TrimStart('\uFEFF'));
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read()) rows.Add(header.ToDictionary(h => h, h => reader.GetString(h)));
        return rows;
    }

    private static async Task<JsonElement> ReadStatusAsync(HostProcess host)
    {
        using var http = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try { return await http.GetFromJsonAsync<JsonElement>("api/status"); }
            catch (HttpRequestException) when (DateTime.UtcNow < until && !host.HasExited) { await Task.Delay(250); }
        }
    }

    /// <summary>Reads /api/status every half second until the host exits; returns every answer.</summary>
    private static async Task<List<JsonElement>> WatchStatusAsync(HostProcess host)
    {
        using var http = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var seen = new List<JsonElement>();
        while (!host.HasExited)
        {
            try
            {
                var response = await http.GetAsync("api/status");
                if (response.IsSuccessStatusCode) seen.Add(await response.Content.ReadFromJsonAsync<JsonElement>());
            }
            catch (HttpRequestException) { } // not listening yet, or already stopped
            catch (TaskCanceledException) { }
            await Task.Delay(500);
        }
        return seen;
    }
}
