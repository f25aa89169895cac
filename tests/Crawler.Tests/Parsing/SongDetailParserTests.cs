using System.Text.Json.Nodes;
using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

public class SongDetailParserTests
{
    private static SongBatch ParseOk(string body, params long[] asked)
    {
        var result = SongDetailParser.Parse(200, body, asked);
        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        return result.Value!;
    }

    private static JsonObject Song(long id, string name = "歌", long? dt = 200_000) => new()
    {
        ["name"] = name,
        ["id"] = id,
        ["ar"] = new JsonArray(new JsonObject { ["id"] = 11, ["name"] = "歌手" }),
        ["al"] = new JsonObject { ["id"] = 22, ["name"] = "专辑" },
        ["dt"] = dt,
    };

    private static string Answer(params JsonNode?[] songs) =>
        new JsonObject { ["songs"] = new JsonArray(songs), ["privileges"] = new JsonArray(), ["code"] = 200 }.ToJsonString();

    [Fact]
    public void The_fixture_reads_every_field_of_each_song_in_answer_order()
    {
        var batch = ParseOk(Fixture.Read("api-v3-song-detail.json"), 1901371647, 2061234567);

        Assert.Equal(2, batch.Songs.Count);
        var first = batch.Songs[0];
        Assert.Equal((2061234567L, "霓虹以北", (long?)168301234, "夜行列车", (long?)203519),
            (first.Id, first.Name, first.AlbumId, first.AlbumName, first.DurationMs));
        Assert.Equal([12138269L], first.ArtistIds);
        Assert.Equal(["城市漫游者"], first.ArtistNames);
        var second = batch.Songs[1];
        Assert.Equal("夜跑 (feat. 霓虹电台)", second.Name);
        Assert.Equal([12138269L, 0L], second.ArtistIds); // 0: the site's id of an artist without a page
        Assert.Equal(["城市漫游者", "霓虹电台"], second.ArtistNames);
        Assert.Null(second.AlbumId); // al.id 0: no album
        Assert.Null(second.AlbumName);
        Assert.Equal(241000, second.DurationMs);
        Assert.Empty(batch.Unknown);
        Assert.Empty(batch.Problems);
    }

    [Fact]
    public void Ids_asked_for_that_the_answer_leaves_out_are_unknown_in_the_order_asked()
    {
        var batch = ParseOk(Answer(Song(2)), 5, 2, 3, 5);

        Assert.Equal([2L], batch.Songs.Select(s => s.Id));
        Assert.Equal([5L, 3L], batch.Unknown);
        Assert.Empty(batch.Problems);
    }

    [Fact]
    public void An_empty_answer_leaves_every_id_unknown()
    {
        var batch = ParseOk(Answer(), 1, 2);

        Assert.Empty(batch.Songs);
        Assert.Equal([1L, 2L], batch.Unknown);
    }

    [Fact]
    public void A_song_not_asked_for_is_dropped_with_a_line_and_a_repeated_one_kept_once()
    {
        var batch = ParseOk(Answer(Song(1, "first"), Song(9), Song(1, "again")), 1);

        Assert.Equal("first", Assert.Single(batch.Songs).Name);
        Assert.Equal(["songs[1]: song 9 was not asked for: dropped", "songs[2]: song 1 is in the answer already: kept once"], batch.Problems);
    }

    [Theory]
    [InlineData("""{"name":"x"}""", "songs[0] has no song id (no id): skipped")]
    [InlineData("""{"id":0}""", "songs[0] has no song id (id 0 is not above 0): skipped")]
    [InlineData("""{"id":1.5}""", "songs[0] has no song id (id \"1.5\" is not a whole number that fits in 64 bits): skipped")]
    [InlineData("""{"id":"x"}""", "songs[0] has no song id (id \"x\" is not a number): skipped")]
    [InlineData("7", "songs[0] is Number, not a song: skipped")]
    public void An_item_without_a_whole_number_id_is_skipped_with_a_line(string bad, string problem)
    {
        var batch = ParseOk(Answer(JsonNode.Parse(bad), Song(4)), 4);

        Assert.Equal([4L], batch.Songs.Select(s => s.Id));
        Assert.Equal([problem], batch.Problems);
    }

    [Theory]
    [InlineData(null, "song answer has no songs")]
    [InlineData("null", "song answer has no songs")]
    [InlineData("{}", "song answer's songs is Object, not an array")]
    [InlineData("[{},\"x\"]", "none of the 2 songs has a song id")]
    public void Without_songs_the_answer_is_Malformed(string? songs, string reason)
    {
        var body = songs is null ? """{"code":200,"privileges":[]}""" : $$"""{"code":200,"songs":{{songs}}}""";

        var result = SongDetailParser.Parse(200, body, [1]);

        Assert.Equal((PageOutcome.Malformed, reason), (result.Outcome, result.Reason));
    }

    [Theory]
    [InlineData("-1", "song 1: dt -1 ms is negative: duration unknown")]
    [InlineData("86400001", "song 1: dt 86400001 ms is over 24 h: duration unknown")]
    [InlineData("\"long\"", "song 1: dt \"long\" is not a number: duration unknown")]
    [InlineData("1e30", "song 1: dt \"1e30\" is not a whole number that fits in 64 bits: duration unknown")]
    [InlineData("null", "song 1: dt is null: duration unknown")]
    public void A_duration_that_is_negative_or_absurd_is_null_with_a_line(string dt, string problem)
    {
        var song = Song(1);
        song["dt"] = JsonNode.Parse(dt);

        var batch = ParseOk(Answer(song), 1);

        Assert.Null(Assert.Single(batch.Songs).DurationMs);
        Assert.Equal([problem], batch.Problems);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(SongDetailParser.MaxDurationMs)]
    public void Durations_from_0_to_24_hours_are_kept(long dt)
    {
        Assert.Equal(dt, Assert.Single(ParseOk(Answer(Song(1, dt: dt)), 1).Songs).DurationMs);
    }

    [Fact]
    public void Hostile_names_are_trimmed_and_otherwise_kept_as_the_playlist_names_are()
    {
        var song = Song(1, "\r\n\t 午夜\r\n<b>电台</b>\u0007 \u3000");
        song["ar"] = new JsonArray(new JsonObject { ["id"] = 5, ["name"] = "  \u001b[2J歌手\n" });
        song["al"] = new JsonObject { ["id"] = 6, ["name"] = " \t " };

        var read = Assert.Single(ParseOk(Answer(song), 1).Songs);
        var playlist = PlaylistApiParser.Parse(200,
            new JsonObject { ["code"] = 200, ["playlist"] = new JsonObject { ["id"] = 9, ["name"] = "\r\n\t 午夜\r\n<b>电台</b>\u0007 \u3000" } }.ToJsonString(), 9);

        Assert.Equal("午夜\r\n<b>电台</b>\u0007", read.Name);
        Assert.Equal(playlist.Value!.Name, read.Name);
        Assert.Equal(["\u001b[2J歌手"], read.ArtistNames);
        Assert.Null(read.AlbumName);
    }

    [Fact]
    public void Missing_names_and_artist_ids_are_kept_empty_or_0_with_a_line()
    {
        var song = new JsonObject
        {
            ["id"] = 1,
            ["ar"] = new JsonArray(new JsonObject { ["name"] = "无号" }, new JsonObject { ["id"] = -4, ["name"] = 3 }, JsonValue.Create("x")),
            ["al"] = new JsonObject { ["id"] = "abc", ["name"] = "专辑" },
            ["dt"] = 1000,
        };

        var batch = ParseOk(Answer(song), 1);
        var read = Assert.Single(batch.Songs);

        Assert.Equal(("", (long?)null, "专辑"), (read.Name, read.AlbumId, read.AlbumName));
        Assert.Equal([0L, 0L], read.ArtistIds);
        Assert.Equal(["无号", ""], read.ArtistNames);
        Assert.Equal(
            [
                "song 1: no name: name kept empty",
                "song 1: ar[0] has no artist id (no id): read as 0",
                "song 1: ar[1] has no artist id (id -4 is negative): read as 0",
                "song 1: ar[1] name is Number, not text: name kept empty",
                "song 1: ar[2] is String, not an artist: skipped",
                "song 1: al has no album id (id \"abc\" is not a number)",
            ],
            batch.Problems);
    }

    [Theory]
    [InlineData(null, "song 1: no ar: no artists")]
    [InlineData("null", "song 1: ar is Null, not an array: no artists")]
    [InlineData("{}", "song 1: ar is Object, not an array: no artists")]
    public void A_song_without_an_artist_array_has_no_artists(string? ar, string problem)
    {
        var song = Song(1);
        song.Remove("ar");
        if (ar is not null) song["ar"] = JsonNode.Parse(ar);

        var batch = ParseOk(Answer(song), 1);

        Assert.Empty(Assert.Single(batch.Songs).ArtistIds);
        Assert.Equal([problem], batch.Problems);
    }

    [Fact]
    public void A_song_without_an_album_has_none_quietly_and_a_wrong_album_with_a_line()
    {
        var none = Song(1);
        none["al"] = null;
        var wrong = Song(2);
        wrong["al"] = "专辑";

        var batch = ParseOk(Answer(none, wrong), 1, 2);

        Assert.All(batch.Songs, s => Assert.Equal((null, null), (s.AlbumId, s.AlbumName)));
        Assert.Equal(["song 2: al is String, not an album: none"], batch.Problems);
    }

    [Fact]
    public void Exact_ids_in_id_str_win_over_numbers_rounded_for_javascript()
    {
        var song = Song(9007199254740992);
        song["id_str"] = "9007199254740993";

        Assert.Equal(9007199254740993, Assert.Single(ParseOk(Answer(song), 9007199254740993).Songs).Id);
    }

    [Fact]
    public void Problem_lines_are_capped_and_the_rest_counted()
    {
        var batch = ParseOk(Answer([.. Enumerable.Range(100, 30).Select(i => (JsonNode)Song(i))]), 1);

        Assert.Equal(SongDetailParser.MaxProblems + 1, batch.Problems.Count);
        Assert.Equal("… and 10 more problems", batch.Problems[^1]);
        Assert.Equal([1L], batch.Unknown);
    }

    [Theory]
    [InlineData(200, """{"code":-460,"msg":"Cheating"}""", PageOutcome.Blocked)]
    [InlineData(400, """{"code":-460,"msg":"Cheating"}""", PageOutcome.Blocked)]
    [InlineData(200, """{"code":-462,"data":{"blockText":"请完成验证操作"}}""", PageOutcome.Blocked)]
    [InlineData(200, """{"code":405,"msg":"操作频繁，请稍候再试"}""", PageOutcome.Blocked)]
    [InlineData(200, """{"code":406}""", PageOutcome.Blocked)]
    [InlineData(503, "", PageOutcome.Blocked)]
    [InlineData(200, " ", PageOutcome.Blocked)]
    [InlineData(200, """{"code":404}""", PageOutcome.Gone)]
    [InlineData(200, """{"code":400,"msg":"参数错误"}""", PageOutcome.Malformed)]
    [InlineData(414, "", PageOutcome.Malformed)]
    [InlineData(200, "not json", PageOutcome.Malformed)]
    public void Blocks_are_classified_as_for_every_JSON_answer(int status, string body, PageOutcome outcome)
    {
        var result = SongDetailParser.Parse(status, body, [1]);

        Assert.Equal(outcome, result.Outcome);
        Assert.Null(result.Value);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }
}
