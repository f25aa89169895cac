using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using CsvHelper;
using FunctionsCrawler.Sandbox;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>Checks an export and a final status against the Sandbox's own data (never against the crawler's output).</summary>
public static class Dataset
{
    public static readonly string[] Header =
    [
        "playlist_id", "category", "name", "creator_id", "creator_nickname", "description", "track_count", "tracks_listed",
        "play_count", "subscribed_count", "share_count", "comment_count", "tags", "created_at", "cover_url", "cover_blob", "cover_bytes",
        "cover_sha256", "crawled_at",
    ];

    /// <summary>CSV, JSONL and cover files in <paramref name="output"/>, and the cover blobs, equal the Sandbox's data exactly.</summary>
    public static async Task AssertMatchesSandboxAsync(string output, SandboxCatalog catalog, IReadOnlyList<string> categories, int maxPages, StorageAccount azurite)
    {
        var expected = catalog.ExpectedRows(categories, maxPages);
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
                var cover = catalog.CoverBytes(p.Id);
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
            var cover = catalog.CoverBytes(p.Id);
            Assert.Equal(cover, await File.ReadAllBytesAsync(Path.Combine(output, "covers", $"{p.Id}.jpg")));
            var blob = await container.GetBlobClient($"{p.Id}.jpg").DownloadContentAsync();
            Assert.Equal(cover, blob.Value.Content.ToArray());
            Assert.Equal("image/jpeg", blob.Value.Details.ContentType);
        }
        Assert.Equal(withCover.Count, Directory.GetFiles(Path.Combine(output, "covers")).Length);

    }

    /// <summary>
    /// The tracks the crawl kept, read from storage: every expected row's playlist in the latest view names a track list
    /// equal to the Sandbox's (the songs in order, each one's added time), with <c>tracks_listed</c> its length; every song
    /// of those lists is stored once with the Sandbox's name, artists, album and duration. Returns the distinct songs.
    /// </summary>
    public static async Task<int> AssertTracksMatchSandboxAsync(SandboxCatalog catalog, IReadOnlyList<string> categories, int maxPages, StorageAccount azurite,
        string? output = null)
    {
        if (output is not null) await AssertTrackExportsMatchSandboxAsync(output, catalog, categories, maxPages);
        var storage = StorageClients.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageClients.ConnectionName] = azurite.ConnectionString }).Build());
        var playlists = new PlaylistTable(storage);
        var lists = new PlaylistTracksTable(storage);
        var songs = new HashSet<long>();
        foreach (var group in catalog.ExpectedRows(categories, maxPages).GroupBy(r => r.Category))
        {
            var rows = await playlists.LookupAsync(group.Key, group.Select(r => r.Playlist.Id).ToList(), CancellationToken.None);
            foreach (var (_, p) in group)
            {
                var expected = catalog.Tracks(p.Id);
                var tracks = rows[p.Id].Tracks;
                Assert.True(tracks is not null, $"playlist {p.Id} in {group.Key} has no track list");
                Assert.Equal(expected.Count, tracks.Listed);
                var stored = await lists.ReadAsync(p.Id, tracks.Key, CancellationToken.None);
                Assert.True(stored is not null, $"playlist {p.Id}'s track list {tracks.Key} is not stored");
                Assert.Equal(expected.Select(t => (t.SongId, t.AddedAt)), stored.Select(t => (t.TrackId, t.AddedAt!.Value)));
                songs.UnionWith(expected.Select(t => t.SongId));
            }
        }
        // One query of the whole table (tens of pages) rather than a point read a song (tens of thousands).
        var kept = new Dictionary<long, FunctionsCrawler.NetEase.Song>();
        await foreach (var song in new TrackTable(storage).ReadAllAsync(CancellationToken.None)) kept[song.Id] = song;
        Assert.Equal(songs.Order(), kept.Keys.Where(songs.Contains).Order());
        foreach (var id in songs)
        {
            var song = catalog.Song(id);
            var track = kept[id];
            Assert.Equal(song.Name.Trim(), track.Name);
            Assert.Equal(song.Artists.Select(a => a.Id), track.ArtistIds);
            Assert.Equal(song.Artists.Select(a => a.Name.Trim()), track.ArtistNames);
            Assert.Equal(song.Album.Id == 0 ? null : song.Album.Id, track.AlbumId);
            Assert.Equal(song.DurationMs, track.DurationMs);
        }
        return songs.Count;
    }

    /// <summary>
    /// <c>playlist_tracks.parquet</c> holds every exported playlist's list in order (each playlist once, whatever its
    /// categories), and <c>tracks.parquet</c> every song of those lists once, in id order, as the Sandbox has them.
    /// </summary>
    private static async Task AssertTrackExportsMatchSandboxAsync(string output, SandboxCatalog catalog, IReadOnlyList<string> categories, int maxPages)
    {
        var ids = catalog.ExpectedRows(categories, maxPages).Select(r => r.Playlist.Id).Distinct().ToList();
        var members = await ReadParquetAsync<MemberRow>(Path.Combine(output, "playlist_tracks.parquet"));
        var byPlaylist = members.GroupBy(m => m.PlaylistId).ToDictionary(g => g.Key, g => g.OrderBy(m => m.Position).ToList());
        Assert.Equal(ids.Where(id => catalog.Tracks(id).Count > 0).Order(), byPlaylist.Keys.Order());
        foreach (var id in ids)
        {
            var expected = catalog.Tracks(id);
            var rows = byPlaylist.GetValueOrDefault(id) ?? [];
            Assert.Equal(Enumerable.Range(0, expected.Count), rows.Select(r => r.Position));
            Assert.Equal(expected.Select(t => (t.SongId, t.AddedAt.UtcDateTime)), rows.Select(r => (r.TrackId, r.AddedAt!.Value)));
        }
        var songs = ids.SelectMany(id => catalog.Tracks(id)).Select(t => t.SongId).Distinct().Order().ToList();
        var tracks = await ReadParquetAsync<TrackRow>(Path.Combine(output, "tracks.parquet"));
        Assert.Equal(songs, tracks.Select(t => t.TrackId));
        foreach (var track in tracks)
        {
            var song = catalog.Song(track.TrackId);
            Assert.Equal(song.Name.Trim(), track.Name);
            Assert.Equal(song.Artists.Select(a => a.Name.Trim()), track.ArtistNames);
            Assert.Equal(song.DurationMs, track.DurationMs);
        }
    }

    private static async Task<IList<T>> ReadParquetAsync<T>(string path) where T : class, new()
    {
        await using var file = File.OpenRead(path);
        return (await Parquet.Serialization.ParquetSerializer.DeserializeAsync<T>(file, null, null, CancellationToken.None)).Data;
    }

    /// <summary>The columns of <c>playlist_tracks.parquet</c>, by their exported names.</summary>
    public sealed class MemberRow
    {
        [System.Text.Json.Serialization.JsonPropertyName("playlist_id")] public long PlaylistId { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("position")] public int Position { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("track_id")] public long TrackId { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("added_at")] public DateTime? AddedAt { get; set; }
    }

    /// <summary>The columns of <c>tracks.parquet</c> the tests read.</summary>
    public sealed class TrackRow
    {
        [System.Text.Json.Serialization.JsonPropertyName("track_id")] public long TrackId { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("name")] public string Name { get; set; } = "";
        [System.Text.Json.Serialization.JsonPropertyName("artist_names")] public List<string> ArtistNames { get; set; } = [];
        [System.Text.Json.Serialization.JsonPropertyName("duration_ms")] public long? DurationMs { get; set; }
    }

    /// <summary>
    /// <c>playlist_history.csv</c> after a first crawl: one row per (category, playlist) it recorded, with the Sandbox's
    /// counters, sorted by category and playlist id, and <c>playlist_history.parquet</c> with as many rows.
    /// </summary>
    public static async Task AssertFirstHistoryMatchesSandboxAsync(string output, SandboxCatalog catalog, IReadOnlyList<string> categories, int maxPages)
    {
        var expected = catalog.ExpectedRows(categories, maxPages);
        var rows = ReadCsv(Path.Combine(output, "playlist_history.csv"), HistoryHeader);
        Assert.Equal(expected.Count, rows.Count);
        var keys = rows.Select(r => (r["category"], long.Parse(r["playlist_id"]))).ToList();
        Assert.Equal(keys.OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2), keys);
        var byKey = rows.ToDictionary(r => (r["category"], long.Parse(r["playlist_id"])));
        foreach (var (category, p) in expected)
        {
            Assert.True(byKey.TryGetValue((category, p.Id), out var row), $"no history row for {p.Id} in {category}");
            Assert.Equal((p.PlayCount.ToString(), p.SubscribedCount.ToString(), p.ShareCount.ToString(), p.CommentCount.ToString(), p.TrackCount.ToString()),
                (row["play_count"], row["subscribed_count"], row["share_count"], row["comment_count"], row["track_count"]));
            Assert.EndsWith("Z", row["crawled_at"]);
        }
        await using var parquet = File.OpenRead(Path.Combine(output, "playlist_history.parquet"));
        await using var reader = await Parquet.ParquetReader.CreateAsync(parquet);
        long parquetRows = 0;
        for (var i = 0; i < reader.RowGroupCount; i++)
        {
            using var group = reader.OpenRowGroupReader(i);
            parquetRows += group.RowCount;
        }
        Assert.Equal(expected.Count, parquetRows);
    }

    /// <summary>The final status JSON's counts equal what the Sandbox serves.</summary>
    /// <param name="apiLists">Read through the JSON list answers, which leave deleted playlists out (HTML list pages show them).</param>
    public static void AssertFinalStatus(JsonElement final, SandboxCatalog catalog, IReadOnlyList<string> categories, int maxPages, int failed = 0,
        bool apiLists = false)
    {
        Assert.Equal("completed", final.GetProperty("state").GetString());
        var expected = catalog.ExpectedRows(categories, maxPages);
        var withCover = expected.Select(e => e.Playlist).Where(p => p.Kind == CoverKind.Ok).DistinctBy(p => p.Id).ToList();
        var deletedPairs = apiLists ? 0 : ListedPairs(catalog, categories, maxPages).Count(pair => catalog.Playlist(pair.Id).Deleted);
        var playlists = final.GetProperty("playlists");
        Assert.Equal(expected.Count - failed, playlists.GetProperty("done").GetInt32());
        Assert.Equal(deletedPairs, playlists.GetProperty("skipped").GetInt32());
        Assert.Equal(failed, playlists.GetProperty("failed").GetInt32());
        Assert.Equal(expected.Count + deletedPairs, playlists.GetProperty("discovered").GetInt32());
        var pagesTotal = categories.Sum(c => Math.Min(catalog.TotalPages(c), maxPages));
        Assert.Equal(pagesTotal, final.GetProperty("pages").GetProperty("total").GetInt32());
        Assert.Equal(pagesTotal, final.GetProperty("pages").GetProperty("done").GetInt32());
        Assert.Equal(withCover.Count, final.GetProperty("covers").GetProperty("stored").GetInt32());
        Assert.Equal(withCover.Sum(p => (long)catalog.CoverBytes(p.Id).Length), final.GetProperty("covers").GetProperty("bytes").GetInt64());
    }

    public static IEnumerable<(string Category, long Id)> ListedPairs(SandboxCatalog catalog, IReadOnlyList<string> categories, int maxPages) =>
        categories.SelectMany(c => Enumerable.Range(0, maxPages == 0 ? catalog.TotalPages(c) : Math.Min(catalog.TotalPages(c), maxPages))
            .SelectMany(page => catalog.PageIds(c, page)).Distinct().Select(id => (c, id)));

    /// <summary>The design's formula guard: a text cell starting with = + - @ tab or CR gets a leading apostrophe.</summary>
    public static string Guarded(string text) => text.Length > 0 && "=+-@\t\r".Contains(text[0]) ? "'" + text : text;

    public static readonly string[] HistoryHeader =
        ["playlist_id", "category", "crawled_at", "play_count", "subscribed_count", "share_count", "comment_count", "track_count"];

    /// <summary>The rows of a CSV export with this header (the playlists' by default), each a dictionary by column.</summary>
    public static List<Dictionary<string, string>> ReadCsv(string path, string[]? header = null)
    {
        header ??= Header;
        Assert.Equal(string.Join(',', header), File.ReadLines(path).First().TrimStart('\uFEFF'));
        using var reader = CsvReader.FromFile(path, CsvReaderOptions.Default, FileOptions.None);
        reader.ReadHeader();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read()) rows.Add(header.ToDictionary(h => h, h => reader.GetString(h)));
        return rows;
    }
}
