using System.Text.Json.Nodes;
using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

public class PlaylistTracksParserTests
{
    private const long Id = 5012345678;

    private static PlaylistTracks ParseOk(string body, long id = Id)
    {
        var result = PlaylistTracksParser.Parse(200, body, id);
        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        return result.Value!;
    }

    private static JsonObject Entry(long id, long? at = null) =>
        at is null ? new JsonObject { ["id"] = id, ["v"] = 3 } : new JsonObject { ["id"] = id, ["v"] = 3, ["t"] = 0, ["at"] = at, ["alg"] = null, ["uid"] = 1 };

    /// <summary>A v6 detail answer of playlist <see cref="Id"/> with this <c>trackIds</c> (null: no such key).</summary>
    private static string Answer(long trackCount, JsonNode? trackIds, Action<JsonObject>? change = null)
    {
        var playlist = new JsonObject
        {
            ["id"] = Id,
            ["name"] = "夜跑",
            ["trackCount"] = trackCount,
            ["trackUpdateTime"] = 1732633014473,
            ["tracks"] = new JsonArray(new JsonObject { ["id"] = 999, ["name"] = "only in tracks" }),
        };
        if (trackIds is not null) playlist["trackIds"] = trackIds;
        change?.Invoke(playlist);
        return new JsonObject { ["code"] = 200, ["playlist"] = playlist }.ToJsonString();
    }

    private static JsonArray Entries(params JsonNode?[] entries) => new(entries);

    [Fact]
    public void Track_ids_are_read_in_order_with_the_time_each_was_added()
    {
        var tracks = ParseOk(Answer(3, Entries(Entry(30, 1645016051441), Entry(10, 1645016051442), Entry(20))));

        Assert.Equal(Id, tracks.PlaylistId);
        Assert.Equal(3, tracks.TrackCount);
        Assert.Equal(
            [
                new PlaylistTrack(30, 0, DateTimeOffset.FromUnixTimeMilliseconds(1645016051441)),
                new PlaylistTrack(10, 1, DateTimeOffset.FromUnixTimeMilliseconds(1645016051442)),
                new PlaylistTrack(20, 2, null),
            ],
            tracks.Tracks);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1732633014473), tracks.TracksUpdatedAt);
        Assert.Empty(tracks.Problems);
        Assert.Equal((0, 0), (tracks.Repeats, tracks.Skipped));
    }

    [Fact]
    public void The_first_full_tracks_are_never_taken_for_the_list()
    {
        var tracks = ParseOk(Answer(1, Entries(Entry(42))));

        Assert.Equal([42L], tracks.Tracks.Select(t => t.TrackId));
    }

    [Theory]
    [InlineData(null, "detail answer has no trackIds")]
    [InlineData("null", "detail answer has no trackIds")]
    [InlineData("{}", "detail answer's trackIds is Object, not an array")]
    [InlineData("\"1,2\"", "detail answer's trackIds is String, not an array")]
    public void Without_a_trackIds_array_the_answer_is_Malformed_even_when_tracks_holds_songs(string? trackIds, string reason)
    {
        var body = Answer(20, trackIds is null ? null : JsonNode.Parse(trackIds), p => { if (trackIds == "null") p["trackIds"] = null; });

        var result = PlaylistTracksParser.Parse(200, body, Id);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Null(result.Value);
    }

    [Fact]
    public void The_old_result_shape_without_trackIds_is_Malformed_too()
    {
        var body = $$$"""{"code":200,"result":{"id":{{{Id}}},"trackCount":2,"tracks":[{"id":1},{"id":2}]}}""";

        Assert.Equal("detail answer has no trackIds", PlaylistTracksParser.Parse(200, body, Id).Reason);
    }

    [Fact]
    public void An_empty_playlist_has_an_empty_list()
    {
        var tracks = ParseOk(Answer(0, Entries()));

        Assert.Empty(tracks.Tracks);
        Assert.Equal(0, tracks.TrackCount);
    }

    [Fact]
    public void A_song_listed_twice_is_kept_once_at_its_first_place_with_a_line_and_a_count()
    {
        var tracks = ParseOk(Answer(4, Entries(Entry(7), Entry(8), Entry(7), Entry(9), Entry(7))));

        Assert.Equal([(7L, 0), (8L, 1), (9L, 2)], tracks.Tracks.Select(t => (t.TrackId, t.Position)));
        Assert.Equal(2, tracks.Repeats);
        Assert.Equal(["trackIds[2] repeats song 7 (position 0): kept once", "trackIds[4] repeats song 7 (position 0): kept once"], tracks.Problems);
    }

    [Theory]
    [InlineData("""{"v":3}""", "trackIds[1] has no track id (no id): skipped")]
    [InlineData("""{"id":null}""", "trackIds[1] has no track id (id is null): skipped")]
    [InlineData("""{"id":0}""", "trackIds[1] has no track id (id 0 is not above 0): skipped")]
    [InlineData("""{"id":-3}""", "trackIds[1] has no track id (id -3 is not above 0): skipped")]
    [InlineData("""{"id":"abc"}""", "trackIds[1] has no track id (id \"abc\" is not a number): skipped")]
    [InlineData("""{"id":1.5}""", "trackIds[1] has no track id (id \"1.5\" is not a whole number that fits in 64 bits): skipped")]
    [InlineData("""{"id":99999999999999999999}""", "trackIds[1] has no track id (id \"99999999999999999999\" is not a whole number that fits in 64 bits): skipped")]
    [InlineData("""{"id":true}""", "trackIds[1] has no track id (id is True, not a number): skipped")]
    [InlineData("42", "trackIds[1] is Number, not a track: skipped")]
    [InlineData("null", "trackIds[1] is Null, not a track: skipped")]
    public void An_entry_without_a_whole_number_id_is_skipped_with_a_line(string bad, string problem)
    {
        var tracks = ParseOk(Answer(2, Entries(Entry(5), JsonNode.Parse(bad), Entry(6))));

        Assert.Equal([(5L, 0), (6L, 1)], tracks.Tracks.Select(t => (t.TrackId, t.Position)));
        Assert.Equal(1, tracks.Skipped);
        Assert.Equal([problem], tracks.Problems);
    }

    [Fact]
    public void Ids_given_as_text_or_exactly_in_id_str_are_read()
    {
        var tracks = ParseOk(Answer(2, Entries(
            JsonNode.Parse("""{"id":"1920025919"}"""),
            JsonNode.Parse("""{"id":9007199254740992,"id_str":"9007199254740993"}"""))));

        Assert.Equal([1920025919L, 9007199254740993L], tracks.Tracks.Select(t => t.TrackId));
    }

    [Fact]
    public void A_list_whose_entries_all_lack_an_id_is_Malformed()
    {
        var result = PlaylistTracksParser.Parse(200, Answer(2, Entries(JsonNode.Parse("{}"), JsonNode.Parse("\"x\""))), Id);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("none of the 2 trackIds entries names a song", result.Reason);
    }

    [Theory]
    [InlineData("0", "trackIds[0]: at 0 is not a time: added time unknown")]
    [InlineData("-5", "trackIds[0]: at -5 is not a time: added time unknown")]
    [InlineData("253402300800000", "trackIds[0]: at 253402300800000 is not a time: added time unknown")]
    [InlineData("\"soon\"", "trackIds[0]: at \"soon\" is not a number: added time unknown")]
    [InlineData("1e400", "trackIds[0]: at \"1e400\" is not a whole number that fits in 64 bits: added time unknown")]
    public void An_added_time_that_is_not_a_time_is_unknown_with_a_line(string at, string problem)
    {
        var tracks = ParseOk(Answer(1, Entries(JsonNode.Parse($$"""{"id":5,"at":{{at}}}"""))));

        Assert.Null(Assert.Single(tracks.Tracks).AddedAt);
        Assert.Equal([problem], tracks.Problems);
    }

    [Fact]
    public void A_null_added_time_is_unknown_without_a_line()
    {
        var tracks = ParseOk(Answer(1, Entries(JsonNode.Parse("""{"id":5,"at":null}"""))));

        Assert.Null(Assert.Single(tracks.Tracks).AddedAt);
        Assert.Empty(tracks.Problems);
    }

    [Fact]
    public void Ten_thousand_tracks_are_read_and_one_more_is_Malformed()
    {
        var full = ParseOk(Answer(10_000, new JsonArray([.. Enumerable.Range(1, 10_000).Select(i => (JsonNode)Entry(i))])));
        var over = PlaylistTracksParser.Parse(200, Answer(10_001, new JsonArray([.. Enumerable.Range(1, 10_001).Select(i => (JsonNode)Entry(i))])), Id);

        Assert.Equal(10_000, full.Tracks.Count);
        Assert.Equal(9_999, full.Tracks[^1].Position);
        Assert.Equal(PageOutcome.Malformed, over.Outcome);
        Assert.Equal("detail answer lists 10,001 tracks, more than the 10,000 a playlist holds", over.Reason);
    }

    [Fact]
    public void Problem_lines_are_capped_and_the_rest_counted()
    {
        var tracks = ParseOk(Answer(1, new JsonArray([Entry(1), .. Enumerable.Range(0, 30).Select(_ => (JsonNode)Entry(1))])));

        Assert.Equal(PlaylistTracksParser.MaxProblems + 1, tracks.Problems.Count);
        Assert.Equal("… and 10 more problems", tracks.Problems[^1]);
        Assert.Equal(30, tracks.Repeats);
    }

    [Theory]
    [InlineData(null, "detail answer has no usable trackCount (no trackCount): its track list cannot be checked")]
    [InlineData("null", "detail answer has no usable trackCount (trackCount is null): its track list cannot be checked")]
    [InlineData("\"many\"", "detail answer has no usable trackCount (trackCount \"many\" is not a number): its track list cannot be checked")]
    [InlineData("1.5", "detail answer has no usable trackCount (trackCount \"1.5\" is not a whole number that fits in 64 bits): its track list cannot be checked")]
    [InlineData("-1", "trackCount -1 is negative: the track list cannot be checked")]
    public void Without_a_usable_track_count_the_list_cannot_be_judged_and_is_Malformed(string? trackCount, string reason)
    {
        var body = Answer(0, Entries(Entry(1)), p =>
        {
            p.Remove("trackCount");
            if (trackCount is not null) p["trackCount"] = JsonNode.Parse(trackCount);
        });

        var result = PlaylistTracksParser.Parse(200, body, Id);

        Assert.Equal((PageOutcome.Malformed, reason), (result.Outcome, result.Reason));
    }

    [Fact]
    public void Another_playlists_answer_is_Malformed()
    {
        var result = PlaylistTracksParser.Parse(200, Answer(1, Entries(Entry(1))), 777);

        Assert.Equal((PageOutcome.Malformed, $"API returned playlist {Id}, expected 777"), (result.Outcome, result.Reason));
    }

    [Fact]
    public void A_playlist_id_past_64_bits_is_Malformed_and_a_missing_one_is_taken_as_asked()
    {
        var hostile = PlaylistTracksParser.Parse(200, Answer(1, Entries(Entry(1)), p => p["id"] = JsonNode.Parse("99999999999999999999")), Id);
        var missing = ParseOk(Answer(1, Entries(Entry(1)), p => p.Remove("id")));

        Assert.Equal((PageOutcome.Malformed, "id \"99999999999999999999\" is not a whole number that fits in 64 bits"), (hostile.Outcome, hostile.Reason));
        Assert.Equal(Id, missing.PlaylistId);
    }

    [Fact]
    public void A_track_update_time_that_is_not_a_time_is_unknown()
    {
        var tracks = ParseOk(Answer(1, Entries(Entry(1)), p => p["trackUpdateTime"] = -1));

        Assert.Null(tracks.TracksUpdatedAt);
    }

    [Theory]
    [InlineData(200, """{"code":-460,"msg":"Cheating"}""", PageOutcome.Blocked)]
    [InlineData(400, """{"code":-460,"msg":"Cheating"}""", PageOutcome.Blocked)]
    [InlineData(200, """{"code":-462,"data":{"blockText":"请完成验证操作"}}""", PageOutcome.Blocked)]
    [InlineData(200, """{"code":405,"msg":"操作频繁，请稍候再试"}""", PageOutcome.Blocked)]
    [InlineData(200, """{"code":406,"msg":"操作频繁"}""", PageOutcome.Blocked)]
    [InlineData(503, "", PageOutcome.Blocked)]
    [InlineData(429, "", PageOutcome.Blocked)]
    [InlineData(200, "", PageOutcome.Blocked)]
    [InlineData(200, "<html><p>很抱歉，服务器开小差了，请稍后再试</p></html>", PageOutcome.Blocked)]
    [InlineData(200, """{"code":404,"msg":"不存在"}""", PageOutcome.Gone)]
    [InlineData(200, """{"code":20001,"msg":"登录后才可查看"}""", PageOutcome.Gone)]
    [InlineData(200, """{"code":401,"msg":"无访问权限"}""", PageOutcome.Gone)]
    [InlineData(200, """{"code":301}""", PageOutcome.Gone)]
    [InlineData(404, "", PageOutcome.Gone)]
    [InlineData(500, "", PageOutcome.Malformed)]
    [InlineData(200, """{"code":502,"msg":"?"}""", PageOutcome.Malformed)]
    [InlineData(200, "<html>not json</html>", PageOutcome.Malformed)]
    [InlineData(200, "[1,2]", PageOutcome.Malformed)]
    [InlineData(200, """{"code":200}""", PageOutcome.Malformed)]
    public void Blocks_and_gone_codes_are_classified_as_for_every_JSON_answer(int status, string body, PageOutcome outcome)
    {
        var result = PlaylistTracksParser.Parse(status, body, Id);

        Assert.Equal(outcome, result.Outcome);
        Assert.Null(result.Value);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    [Fact]
    public void The_v6_fixture_lists_one_track_of_467_which_the_rule_calls_suspect()
    {
        var tracks = ParseOk(Fixture.Read("api-v6-playlist-2829883282.json"), 2829883282);

        Assert.Equal(467, tracks.TrackCount);
        Assert.Equal(new PlaylistTrack(1901371647, 0, DateTimeOffset.FromUnixTimeMilliseconds(1732587201998)), Assert.Single(tracks.Tracks));
        Assert.Equal(TrackListVerdict.Suspect, TrackListCheck.Judge(tracks.TrackCount, tracks.Tracks.Count).Verdict);
    }
}
