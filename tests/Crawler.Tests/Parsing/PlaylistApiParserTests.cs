using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

public class PlaylistApiParserTests
{
    private static PlaylistDetail ParseOk(string body, long id)
    {
        var result = PlaylistApiParser.Parse(200, body, id);
        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        return Assert.IsType<PlaylistDetail>(result.Value);
    }

    [Fact]
    public void V6_response_reads_every_field()
    {
        var detail = ParseOk(Fixture.Read("api-v6-playlist-2829883282.json"), 2829883282);

        Assert.Equal(2829883282, detail.Id);
        Assert.Equal("午夜电台 | 霓虹城市里的合成器之声", detail.Name);
        Assert.Equal("https://p2.music.126.net/tGHU62DTszbFQ37W9qPHcg==/109951165561284475.jpg", detail.CoverUrl);
        Assert.Equal(1463586082, detail.CreatorId);
        Assert.Equal("霓虹电台", detail.CreatorNickname);
        Assert.Equal("夜里十一点半，城市还没睡。\n\n这里收集了电子、欧美、夜晚的声音：\n1. Synthwave 与 Chillwave\n2. 慢一点的 House\n\n持续更新，欢迎收藏～", detail.Description);
        Assert.Equal(["欧美", "电子", "夜晚"], detail.Tags);
        Assert.Equal(467, detail.TrackCount);
        Assert.Equal(3_456_789_012L, detail.PlayCount);
        Assert.Equal(2034, detail.SubscribedCount);
        Assert.Equal(156, detail.ShareCount);
        Assert.Equal(12345, detail.CommentCount);
        Assert.Equal(new DateTimeOffset(2019, 7, 1, 15, 30, 5, 123, TimeSpan.Zero), detail.CreatedAt);
    }

    [Fact]
    public void Null_description_reads_as_empty_and_null_creator_falls_back_to_userId()
    {
        var detail = ParseOk(Fixture.Read("api-v6-playlist-description-null.json"), 5078411239);

        Assert.Equal("", detail.Description);
        Assert.Equal(3272845, detail.CreatorId);
        Assert.Null(detail.CreatorNickname);
        Assert.Empty(detail.Tags);
        Assert.Equal(0, detail.CommentCount);
        Assert.Equal(new DateTimeOffset(2020, 6, 12, 0, 5, 9, TimeSpan.Zero), detail.CreatedAt);
    }

    [Fact]
    public void String_fields_win_over_numbers_rounded_for_javascript()
    {
        var detail = ParseOk(Fixture.Read("api-v6-playlist-id-str.json"), 9007199254740993);

        Assert.Equal(9007199254740993, detail.Id);
        Assert.Equal(18014398509481985, detail.CreatorId);
        Assert.Equal(9007199254740993, detail.PlayCount);
        Assert.Equal("http://p1.music.126.net/Bg9YMzxgykJpSSN5TC0FoQ==/109951163426607691.jpg", detail.CoverUrl);
        Assert.Equal("one\ntwo", detail.Description);
        Assert.Equal(new DateTimeOffset(2016, 3, 17, 4, 57, 22, TimeSpan.Zero), detail.CreatedAt);
    }

    [Fact]
    public void Legacy_result_object_is_read_like_playlist()
    {
        var detail = ParseOk(Fixture.Read("api-legacy-playlist-362750972.json"), 362750972);

        Assert.Equal("论 备 胎 的 自 我 修 养", detail.Name);
        Assert.Equal(265213820, detail.CreatorId);
        Assert.Equal("病鹿", detail.CreatorNickname);
        Assert.Equal("做一个合格的备胎\n需要的不只是耐心", detail.Description);
        Assert.Equal(["华语", "伤感", "孤独"], detail.Tags);
        Assert.Equal(86, detail.TrackCount);
        Assert.Equal(27301558, detail.PlayCount);
        Assert.Equal(51873, detail.SubscribedCount);
        Assert.Equal(611, detail.ShareCount);
        Assert.Equal(1534, detail.CommentCount);
        Assert.Equal(new DateTimeOffset(2016, 4, 12, 14, 29, 3, 390, TimeSpan.Zero), detail.CreatedAt);
    }

    [Theory]
    [InlineData("{\"code\":200,\"playlist\":{\"id\":1,")]
    [InlineData("{\"code\":200,\"playlist\":{\"id\":1,\"name\":\"x\"}} trailing")]
    [InlineData("<!DOCTYPE html><html><body>not json</body></html>")]
    [InlineData("{'code':200}")]
    public void Malformed_json_is_Malformed_with_a_reason(string body)
    {
        var result = PlaylistApiParser.Parse(200, body, 1);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.NotNull(result.Reason);
        Assert.StartsWith("invalid JSON: ", result.Reason);
        Assert.DoesNotContain('\n', result.Reason);
        Assert.Null(result.Value);
    }

    [Theory]
    [InlineData("""{"code":200}""")]
    [InlineData("""{"code":200,"playlist":null}""")]
    [InlineData("""{"code":200,"playlist":[]}""")]
    public void Missing_playlist_object_is_Malformed(string body)
    {
        var result = PlaylistApiParser.Parse(200, body, 1);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("API response has no playlist object", result.Reason);
    }

    [Fact]
    public void Json_array_root_is_Malformed()
    {
        Assert.Equal(PageOutcome.Malformed, PlaylistApiParser.Parse(200, "[]", 1).Outcome);
    }

    [Fact]
    public void Unknown_error_code_is_Malformed()
    {
        var result = PlaylistApiParser.Parse(200, """{"code":500,"msg":"服务器错误"}""", 1);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("API code 500: 服务器错误", result.Reason);
    }

    [Fact]
    public void Playlist_of_another_id_is_Malformed()
    {
        var result = PlaylistApiParser.Parse(200, Fixture.Read("api-v6-playlist-2829883282.json"), 319135616);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("API returned playlist 2829883282, expected 319135616", result.Reason);
    }

    [Fact]
    public void Playlist_without_a_name_is_Malformed()
    {
        Assert.Equal(PageOutcome.Malformed, PlaylistApiParser.Parse(200, """{"code":200,"playlist":{"id":7,"name":""}}""", 7).Outcome);
    }

    [Fact]
    public void Missing_create_time_gives_no_time()
    {
        Assert.Null(ParseOk("""{"code":200,"playlist":{"id":7,"name":"x","createTime":0}}""", 7).CreatedAt);
    }

    [Theory]
    [InlineData("""{"code":-460,"msg":"Cheating"}""", "code -460: Cheating")]
    [InlineData("""{"code":-460,"msg":"网络太拥挤，请稍候再试！"}""", "code -460: 网络太拥挤，请稍候再试！")]
    [InlineData("""{"code":-460,"msg":"检测到您的网络环境存在风险，请稍后再试"}""", "code -460: 检测到您的网络环境存在风险，请稍后再试")]
    [InlineData("""{"code":-462,"data":{"blockText":"请完成验证"}}""", "code -462: 请完成验证")]
    [InlineData("""{"code":405,"msg":"操作频繁，请稍候再试"}""", "code 405: 操作频繁，请稍候再试")]
    [InlineData("""{"code":406,"msg":"操作频繁，请稍候再试"}""", "code 406: 操作频繁，请稍候再试")]
    [InlineData("", "empty body")]
    public void Every_block_shape_is_Blocked(string body, string reason)
    {
        var result = PlaylistApiParser.Parse(200, body, 1);

        Assert.Equal(PageOutcome.Blocked, result.Outcome);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Http_503_is_Blocked()
    {
        Assert.Equal(PageOutcome.Blocked, PlaylistApiParser.Parse(503, "", 1).Outcome);
    }

    [Theory]
    [InlineData("""{"code":301}""")]
    [InlineData("""{"code":20001,"msg":"登录后才可查看"}""")]
    [InlineData("""{"code":401,"msg":"无访问权限"}""")]
    [InlineData("""{"code":404,"msg":"歌单不存在"}""")]
    public void Login_private_and_missing_codes_are_Gone(string body)
    {
        Assert.Equal(PageOutcome.Gone, PlaylistApiParser.Parse(200, body, 1).Outcome);
    }

    [Fact]
    public void V3_response_with_nothing_filled_in_reads_every_field()
    {
        var detail = ParseOk(Fixture.Read("api-v3-playlist-empty.json"), 3900000001);

        Assert.Equal(3900000001, detail.Id);
        Assert.Equal("空空的歌单", detail.Name);
        Assert.Equal("http://p2.music.126.net/Ws3Gq1sZ0Rk8Ui2vBn4HcQ==/109951164200702031.jpg", detail.CoverUrl);
        Assert.Equal(4200000017, detail.CreatorId);
        Assert.Equal("夏至未至", detail.CreatorNickname);
        Assert.Equal("", detail.Description);
        Assert.Empty(detail.Tags);
        Assert.Equal(1, detail.TrackCount);
        Assert.Equal(0, detail.PlayCount);
        Assert.Equal(0, detail.SubscribedCount);
        Assert.Equal(0, detail.ShareCount);
        Assert.Equal(0, detail.CommentCount);
        Assert.Equal(new DateTimeOffset(2019, 10, 2, 8, 30, 44, 850, TimeSpan.Zero), detail.CreatedAt);
    }

    public static TheoryData<string, string> HostileNumbers => new()
    {
        { "\"playCount\": 0", "playCount \"99999999999999999999999\" is not a whole number that fits in 64 bits" },
        { "\"commentCount\": 0", "commentCount \"99999999999999999999999\" is not a whole number that fits in 64 bits" },
        { "\"createTime\": 1570005044850", "createTime \"99999999999999999999999\" is not a whole number that fits in 64 bits" },
        { "\"id\": 3900000001", "id \"99999999999999999999999\" is not a whole number that fits in 64 bits" },
    };

    [Theory]
    [MemberData(nameof(HostileNumbers))]
    public void Number_past_64_bits_is_Malformed_naming_the_field(string field, string reason)
    {
        var name = field[..(field.IndexOf(':', StringComparison.Ordinal) + 1)];
        var body = Fixture.Read("api-v3-playlist-empty.json").Replace(field, name + " 99999999999999999999999", StringComparison.Ordinal);

        var result = PlaylistApiParser.Parse(200, body, 3900000001);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal(reason, result.Reason);
    }

    [Theory]
    [InlineData("\"playCount\": 1e400", "playCount \"1e400\" is not a whole number that fits in 64 bits")]
    [InlineData("\"playCount\": 1.5", "playCount \"1.5\" is not a whole number that fits in 64 bits")]
    [InlineData("\"playCount\": 9223372036854775808", "playCount \"9223372036854775808\" is not a whole number that fits in 64 bits")]
    [InlineData("\"playCount\": 0, \"playCount_str\": \"99999999999999999999999\"", "playCount_str \"99999999999999999999999\" is not a whole number that fits in 64 bits")]
    [InlineData("\"playCount\": \"-99999999999999999999999\"", "playCount \"-99999999999999999999999\" is not a whole number that fits in 64 bits")]
    public void Odd_numbers_are_Malformed_rather_than_read_as_zero(string replacement, string reason)
    {
        var body = Fixture.Read("api-v3-playlist-empty.json").Replace("\"playCount\": 0", replacement, StringComparison.Ordinal);

        var result = PlaylistApiParser.Parse(200, body, 3900000001);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal(reason, result.Reason);
    }

    [Theory]
    [InlineData("\"playCount\": 1e3", 1000L)]
    [InlineData("\"playCount\": 12.0", 12L)]
    [InlineData("\"playCount\": \"77\"", 77L)]
    [InlineData("\"playCount\": 9223372036854775807", long.MaxValue)]
    [InlineData("\"playCount\": null", 0L)]
    [InlineData("\"playCount\": \"很多\"", 0L)]
    public void Whole_numbers_written_another_way_are_read(string replacement, long expected)
    {
        var body = Fixture.Read("api-v3-playlist-empty.json").Replace("\"playCount\": 0", replacement, StringComparison.Ordinal);

        Assert.Equal(expected, ParseOk(body, 3900000001).PlayCount);
    }

    [Fact]
    public void Hostile_numbers_in_fields_the_crawl_does_not_read_are_ignored()
    {
        // The fixture's tracks[0].playCount is 99999999999999999999999; coverImgId is rounded for JavaScript.
        Assert.Equal(0, ParseOk(Fixture.Read("api-v3-playlist-empty.json"), 3900000001).PlayCount);
    }

    [Fact]
    public void Block_relayed_with_http_400_is_Blocked()
    {
        var result = PlaylistApiParser.Parse(400, """{"msg":"Cheating","code":-460,"message":"Cheating"}""", 1);

        Assert.Equal(PageOutcome.Blocked, result.Outcome);
        Assert.Equal("code -460: Cheating (HTTP 400)", result.Reason);
    }

    [Fact]
    public void Body_with_a_lone_surrogate_is_Malformed_not_an_exception()
    {
        var result = PlaylistApiParser.Parse(200, "{\"code\":200,\"playlist\":{\"id\":1,\"name\":\"\uDC00\"}}", 1);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.StartsWith("invalid JSON: ", result.Reason);
    }
}
