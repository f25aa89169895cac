using System.Net;
using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Tests;

/// <summary>One site for the tests that only read track lists and songs from it.</summary>
public sealed class TrackSiteFixture : IAsyncLifetime
{
    public SandboxSite Site { get; private set; } = null!;

    public async Task InitializeAsync() => Site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 9, PagesPerCategory = 4 });

    public async Task DisposeAsync() => await Site.DisposeAsync();
}

public sealed class TrackApiTests(TrackSiteFixture fixture) : IClassFixture<TrackSiteFixture>
{
    private readonly SandboxSite _site = fixture.Site;

    private static async Task<JsonElement> JsonAsync(SiteClient client, string path)
    {
        using var document = JsonDocument.Parse(await client.TextAsync(path));
        return document.RootElement.Clone();
    }

    /// <summary>The first listed playlist of each shape, alive on the day served.</summary>
    private SandboxPlaylist First(TrackListShape shape) =>
        _site.Catalog.MenuCategories.SelectMany(_site.Catalog.ListedIds).Select(_site.Catalog.Playlist)
            .First(playlist => !playlist.Deleted && playlist.TrackShape == shape);

    private static string SongQuery(IEnumerable<long> ids) =>
        "c=" + Uri.EscapeDataString("[" + string.Join(',', ids.Select(id => $"{{\"id\":{id}}}")) + "]");

    internal static void AssertSong(SandboxSong song, JsonElement json)
    {
        Assert.Equal(song.Id, json.GetProperty("id").GetInt64());
        Assert.Equal(song.Name, json.GetProperty("name").GetString());
        Assert.Equal(song.Artists.Select(artist => (artist.Id, artist.Name)),
            json.GetProperty("ar").EnumerateArray().Select(artist => (artist.GetProperty("id").GetInt64(), artist.GetProperty("name").GetString()!)));
        var album = json.GetProperty("al");
        Assert.Equal((song.Album.Id, song.Album.Name, song.Album.PicUrl),
            (album.GetProperty("id").GetInt64(), album.GetProperty("name").GetString(), album.GetProperty("picUrl").GetString()));
        Assert.Equal(song.DurationMs, json.GetProperty("dt").GetInt64());
        Assert.Equal(song.Version, json.GetProperty("v").GetInt32());
        Assert.Equal(song.TrackNumber, json.GetProperty("no").GetInt32());
    }

    [Theory]
    [InlineData("/api/v6/playlist/detail", TrackListShape.Ordinary)]
    [InlineData("/api/v3/playlist/detail", TrackListShape.Ordinary)]
    [InlineData("/api/v6/playlist/detail", TrackListShape.Large)]
    [InlineData("/api/v6/playlist/detail", TrackListShape.Empty)]
    [InlineData("/api/v6/playlist/detail", TrackListShape.ListOneLonger)]
    [InlineData("/api/v3/playlist/detail", TrackListShape.ListOneShorter)]
    public async Task Detail_api_answers_every_track_id_and_the_first_20_songs(string path, TrackListShape shape)
    {
        using var client = new SiteClient(_site);
        var playlist = First(shape);
        var tracks = _site.Catalog.Tracks(playlist.Id);
        var answer = await JsonAsync(client, $"{path}?id={playlist.Id}");
        var body = answer.GetProperty("playlist");

        Assert.Equal(playlist.TrackCount, body.GetProperty("trackCount").GetInt32());
        Assert.Equal(playlist.TracksUpdatedAt.ToUnixTimeMilliseconds(), body.GetProperty("trackUpdateTime").GetInt64());
        Assert.Equal(playlist.TracksUpdatedAt.ToUnixTimeMilliseconds(), body.GetProperty("trackNumberUpdateTime").GetInt64());
        var trackIds = body.GetProperty("trackIds").EnumerateArray().ToList();
        Assert.Equal(tracks.Select(track => (track.SongId, track.AddedAt.ToUnixTimeMilliseconds())),
            trackIds.Select(item => (item.GetProperty("id").GetInt64(), item.GetProperty("at").GetInt64())));
        Assert.All(trackIds, item =>
        {
            Assert.Equal(["id", "v", "t", "at", "uid", "alg", "rcmdReason"], item.EnumerateObject().Select(field => field.Name));
            Assert.Equal(playlist.CreatorId, item.GetProperty("uid").GetInt64());
            Assert.Equal(JsonValueKind.Null, item.GetProperty("alg").ValueKind);
            Assert.Equal("", item.GetProperty("rcmdReason").GetString());
        });

        var full = body.GetProperty("tracks").EnumerateArray().ToList();
        Assert.Equal(Math.Min(20, tracks.Count), full.Count);
        for (var i = 0; i < full.Count; i++)
        {
            var song = _site.Catalog.Song(tracks[i].SongId);
            AssertSong(song, full[i]);
            Assert.Equal(song.Version, trackIds[i].GetProperty("v").GetInt32());
        }
        Assert.Equal(full.Select(song => song.GetProperty("id").GetInt64()),
            answer.GetProperty("privileges").EnumerateArray().Select(privilege => privilege.GetProperty("id").GetInt64()));
        if (shape == TrackListShape.Large)
            Assert.InRange(trackIds.Count, 1_200, 3_000);
    }

    [Fact]
    public async Task The_older_detail_api_and_the_list_items_carry_no_track_list()
    {
        using var client = new SiteClient(_site);
        var playlist = First(TrackListShape.Ordinary);
        var result = (await JsonAsync(client, $"/api/playlist/detail?id={playlist.Id}")).GetProperty("result");
        Assert.False(result.TryGetProperty("trackIds", out _));
        Assert.False(result.TryGetProperty("tracks", out _));

        var list = await JsonAsync(client, "/api/playlist/list?cat=%E8%AF%B4%E5%94%B1&order=hot&limit=35&offset=0");
        Assert.All(list.GetProperty("playlists").EnumerateArray(), item =>
        {
            Assert.False(item.TryGetProperty("trackIds", out _));
            Assert.Equal(JsonValueKind.Null, item.GetProperty("tracks").ValueKind);
        });
    }

    [Fact]
    public async Task Song_detail_answers_in_the_order_asked_and_leaves_unknown_ids_out()
    {
        using var client = new SiteClient(_site);
        var known = _site.Catalog.Tracks(First(TrackListShape.Ordinary).Id).Select(track => track.SongId).Take(6).Reverse().ToList();
        long[] asked = [known[0], 1, known[1], known[2] + 1, known[2], 99_999_999_999_999_999, known[3], known[4], known[5]];
        Assert.False(_site.Catalog.TryGetSong(known[2] + 1, out _));

        var answer = await JsonAsync(client, "/api/v3/song/detail?" + SongQuery(asked));
        Assert.Equal(200, answer.GetProperty("code").GetInt32());
        var songs = answer.GetProperty("songs").EnumerateArray().ToList();
        Assert.Equal(known, songs.Select(song => song.GetProperty("id").GetInt64()));
        for (var i = 0; i < known.Count; i++)
            AssertSong(_site.Catalog.Song(known[i]), songs[i]);
        Assert.Equal(known, answer.GetProperty("privileges").EnumerateArray().Select(privilege => privilege.GetProperty("id").GetInt64()));

        // Older clients send ids=[…]; the web client POSTs a form; ids as strings are read too.
        var older = await JsonAsync(client, "/api/v3/song/detail?ids=" + Uri.EscapeDataString($"[{known[1]},\"{known[0]}\"]"));
        Assert.Equal([known[1], known[0]], older.GetProperty("songs").EnumerateArray().Select(song => song.GetProperty("id").GetInt64()));
        using var form = new FormUrlEncodedContent([new("c", $"[{{\"id\":{known[3]}}},{{\"id\":\"{known[4]}\"}}]")]);
        using var http = new HttpClient { BaseAddress = _site.BaseUrl };
        using var posted = await http.PostAsync("/api/v3/song/detail", form);
        using var postedJson = JsonDocument.Parse(await posted.Content.ReadAsStringAsync());
        Assert.Equal([known[3], known[4]], postedJson.RootElement.GetProperty("songs").EnumerateArray().Select(song => song.GetProperty("id").GetInt64()));
        var none = await JsonAsync(client, "/api/v3/song/detail?c=%5B%5D");
        Assert.Equal((200, 0), (none.GetProperty("code").GetInt32(), none.GetProperty("songs").GetArrayLength()));
    }

    [Theory]
    [InlineData("c=abc")]
    [InlineData("c=%7B%22id%22%3A1%7D")]               // {"id":1}: not an array
    [InlineData("c=%5B%7B%22x%22%3A1%7D%5D")]          // [{"x":1}]
    [InlineData("c=%5B1%5D")]                          // [1]: c wants objects
    [InlineData("c=%5B%7B%22id%22%3A1.5%7D%5D")]       // [{"id":1.5}]
    [InlineData("ids=%5B%22abc%22%5D")]                // ids=["abc"]
    [InlineData("")]
    public async Task Malformed_song_detail_parameters_answer_code_400(string query)
    {
        using var client = new SiteClient(_site);
        var answer = await JsonAsync(client, "/api/v3/song/detail?" + query);
        Assert.Equal(400, answer.GetProperty("code").GetInt32());
        Assert.NotEmpty(answer.GetProperty("msg").GetString()!);
        Assert.Equal("badRequest", _site.Log.Entries().Last(entry => entry.Kind == "songApi").Outcome);
    }

    [Fact]
    public async Task Album_pictures_are_served_like_covers()
    {
        using var client = new SiteClient(_site);
        var song = _site.Catalog.Song(_site.Catalog.Tracks(First(TrackListShape.Ordinary).Id)[0].SongId);
        var full = await client.BytesAsync(song.Album.PicUrl);
        Assert.Equal([0xFF, 0xD8], full.Take(2));
        var small = await client.BytesAsync(song.Album.PicUrl + "?param=140y140");
        Assert.NotEqual(full, small);
        using var moved = await client.GetAsync(song.Album.PicUrl.Replace(_site.BaseUrl.AbsoluteUri, _site.BaseUrl.AbsoluteUri + "moved/"));
        Assert.Equal(HttpStatusCode.NotFound, moved.StatusCode);
    }

    [Fact]
    public async Task Expected_with_tracks_gives_each_rows_list_length_and_the_distinct_songs()
    {
        using var client = new SiteClient(_site);
        var answer = await JsonAsync(client, "/_sandbox/expected?categories=" + Uri.EscapeDataString("说唱,后摇") + "&maxPages=2&tracks=true");
        var rows = _site.Catalog.ExpectedRows(["说唱", "后摇"], 2);
        var listed = answer.GetProperty("categories").EnumerateArray()
            .SelectMany(category => category.GetProperty("tracksListed").EnumerateArray().Select(count => count.GetInt32())).ToList();
        Assert.Equal(rows.Select(row => _site.Catalog.Tracks(row.Playlist.Id).Count), listed);
        Assert.Equal(listed.Sum(), answer.GetProperty("tracksListed").GetInt64());
        Assert.Equal(_site.Catalog.ExpectedTracks(["说唱", "后摇"], 2).Count, answer.GetProperty("songs").GetInt32());
        var plain = await JsonAsync(client, "/_sandbox/expected?categories=" + Uri.EscapeDataString("后摇"));
        Assert.False(plain.TryGetProperty("songs", out _));
    }
}

/// <summary>Sites of their own: these change options or count requests.</summary>
public sealed class TrackFaultTests
{
    [Fact]
    public async Task One_track_ids_get_a_one_item_list_while_the_count_stays()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 9 });
        using var client = new SiteClient(site);
        var playlists = site.Catalog.ListedIds("说唱").Select(site.Catalog.Playlist)
            .Where(playlist => !playlist.Deleted && playlist.TrackCount > 20).Take(2).ToList();
        var (cut, whole) = (playlists[0], playlists[1]);
        site.Options.OneTrackIds = $"{cut.Id}";

        var answer = (await JsonAsync(client, $"/api/v6/playlist/detail?id={cut.Id}")).GetProperty("playlist");
        Assert.Equal(cut.TrackCount, answer.GetProperty("trackCount").GetInt32());
        Assert.Equal([site.Catalog.Tracks(cut.Id)[0].SongId], answer.GetProperty("trackIds").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()));
        Assert.Equal(1, answer.GetProperty("tracks").GetArrayLength());
        var other = (await JsonAsync(client, $"/api/v6/playlist/detail?id={whole.Id}")).GetProperty("playlist");
        Assert.Equal(site.Catalog.Tracks(whole.Id).Count, other.GetProperty("trackIds").GetArrayLength());
        Assert.True(site.Catalog.Tracks(cut.Id).Count > 20, "the truth keeps the whole list");

        site.Options.OneTrackIds = "";
        site.Options.OneTrackRate = 0.5;
        var cutNow = 0;
        foreach (var playlist in site.Catalog.ListedIds("华语").Distinct().Select(site.Catalog.Playlist).Where(p => !p.Deleted && p.TrackCount > 1).Take(40))
        {
            var length = (await JsonAsync(client, $"/api/v3/playlist/detail?id={playlist.Id}")).GetProperty("playlist").GetProperty("trackIds").GetArrayLength();
            Assert.Contains(length, new[] { 1, site.Catalog.Tracks(playlist.Id).Count });
            cutNow += length == 1 ? 1 : 0;
            // Seeded per id: the same playlist gets the same answer again.
            Assert.Equal(length, (await JsonAsync(client, $"/api/v3/playlist/detail?id={playlist.Id}")).GetProperty("playlist").GetProperty("trackIds").GetArrayLength());
        }
        Assert.InRange(cutNow, 10, 30);
    }

    [Fact]
    public async Task Song_detail_has_a_per_request_limit()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 9 });
        var large = site.Catalog.MenuCategories.SelectMany(site.Catalog.ListedIds).Select(site.Catalog.Playlist)
            .First(playlist => !playlist.Deleted && playlist.TrackCount > 1_000);
        var ids = site.Catalog.Tracks(large.Id).Select(track => track.SongId).ToList();
        using var http = new HttpClient { BaseAddress = site.BaseUrl };

        async Task<JsonElement> Ask(int count)
        {
            using var form = new FormUrlEncodedContent([new("c", "[" + string.Join(',', ids.Take(count).Select(id => $"{{\"id\":{id}}}")) + "]")]);
            using var response = await http.PostAsync("/api/v3/song/detail", form);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return document.RootElement.Clone();
        }

        Assert.Equal(1_000, (await Ask(1_000)).GetProperty("songs").GetArrayLength());
        var tooMany = await Ask(1_001);
        Assert.Equal(400, tooMany.GetProperty("code").GetInt32());
        Assert.Contains("1000", tooMany.GetProperty("msg").GetString());
        site.Options.SongDetailLimit = 3;
        Assert.Equal(400, (await Ask(4)).GetProperty("code").GetInt32());
        Assert.Equal(3, (await Ask(3)).GetProperty("songs").GetArrayLength());
    }

    [Fact]
    public async Task Song_detail_is_blocked_failed_and_counted_like_every_site_request()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 9, BlockAfterRequests = 1, BlockForSeconds = 60, BlockShape = "460" });
        using var client = new SiteClient(site);
        var song = site.Catalog.Tracks(site.Catalog.ListedIds("说唱")[0])[0].SongId;
        var path = $"/api/v3/song/detail?c=%5B%7B%22id%22%3A{song}%7D%5D";

        Assert.Equal(200, (await JsonAsync(client, path)).GetProperty("code").GetInt32());
        Assert.Equal(-460, (await JsonAsync(client, path)).GetProperty("code").GetInt32());
        Assert.Equal(2, site.Log.ByKind()["songApi"]);
        Assert.Equal(["ok", "blocked"], (await site.Log.EntriesAsync(2)).Select(entry => entry.Outcome));
        using var stats = JsonDocument.Parse(await client.TextAsync("/_sandbox/stats"));
        Assert.Equal(2, stats.RootElement.GetProperty("byPath").GetProperty("songApi").GetInt64());

        await using var failing = await SandboxSite.StartAsync(new SandboxOptions { Seed = 9, ErrorRate = 1 });
        using var failingClient = new SiteClient(failing);
        using var response = await failingClient.GetAsync(path);
        Assert.Contains((int)response.StatusCode, new[] { 500, 502 });
        Assert.Equal("error", (await failing.Log.EntriesAsync(1)).Single().Outcome);
    }

    [Fact]
    public async Task The_next_day_serves_the_changed_list_with_that_days_time()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 4, DeletedRate = 0 });
        using var client = new SiteClient(site);
        var (before, after) = (site.Catalog.OnDay(0), site.Catalog.OnDay(1));
        var id = site.Catalog.MenuCategories.SelectMany(before.ListedIds)
            .First(id => after.Playlist(id).TrackCount > before.Playlist(id).TrackCount);

        site.Options.Day = 1;
        var trackIds = (await JsonAsync(client, $"/api/v6/playlist/detail?id={id}")).GetProperty("playlist").GetProperty("trackIds").EnumerateArray().ToList();
        Assert.Equal(after.Tracks(id).Select(track => track.SongId), trackIds.Select(item => item.GetProperty("id").GetInt64()));
        Assert.NotEqual(before.Tracks(id), after.Tracks(id));
        var today = after.Playlist(id).TracksUpdatedAt.ToUnixTimeMilliseconds();
        Assert.Equal(after.Playlist(id).TrackCount - before.Playlist(id).TrackCount, trackIds.Count(item => item.GetProperty("at").GetInt64() == today));
    }

    private static async Task<JsonElement> JsonAsync(SiteClient client, string path)
    {
        using var document = JsonDocument.Parse(await client.TextAsync(path));
        return document.RootElement.Clone();
    }
}
