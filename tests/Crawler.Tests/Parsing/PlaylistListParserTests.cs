using System.Text.Json.Nodes;
using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

public class PlaylistListParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] NoTags = [];

    private static PageResult<ListPage> Parse(string body, int limit = 35, int status = 200) =>
        PlaylistListParser.Parse(status, body, limit, Now);

    private static ListPage ParseOk(string body, int limit = 35)
    {
        var result = Parse(body, limit);
        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        Assert.Null(result.Reason);
        return result.Value!;
    }

    /// <summary>The fixture's first item: a playlist object with every field a row needs.</summary>
    private static JsonObject CompleteItem() =>
        JsonNode.Parse(Fixture.Read("api-list-page.json"))!["playlists"]![0]!.AsObject();

    private static string Answer(IEnumerable<JsonNode?> items, string rest = "\"total\":1,\"more\":false")
    {
        var array = new JsonArray([.. items.Select(i => i?.DeepClone())]);
        return $"{{\"code\":200,\"playlists\":{array.ToJsonString()},{rest}}}";
    }

    private static string Answer(params JsonNode?[] items) => Answer((IEnumerable<JsonNode?>)items);

    private static JsonObject Item(long id, string name)
    {
        var item = CompleteItem();
        item["id"] = id;
        item["name"] = name;
        return item;
    }

    /// <summary>Two rows are the same row: every field equal, the tags in the same order.</summary>
    private static void AssertSameRow(PlaylistDetail expected, PlaylistDetail? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Tags = NoTags }, actual with { Tags = NoTags });
        Assert.Equal(expected.Tags, actual.Tags);
    }

    [Fact]
    public void A_list_answer_gives_each_item_with_every_field_of_its_row()
    {
        var page = ParseOk(Fixture.Read("api-list-page.json"));

        Assert.Equal([5012345678, 3104567890, 7700112233, 2400000001], page.Playlists.Select(p => p.Id));
        Assert.Equal(38, page.TotalPages); // 1304 / 35, rounded up
        Assert.Equal(0, page.Repeats);
        Assert.Empty(page.Problems);

        var first = page.Playlists[0];
        Assert.Equal(("通勤路上 | 耳机里的城市民谣", "http://p3.music.126.net/Qw3rTy9uIoPaSdFgHjKlZx==/109951168000000123.jpg", (long?)88000123, "晚九的公交"),
            (first.Title, first.CoverUrl, first.CreatorId, first.CreatorNickname));
        Assert.Null(first.Incomplete);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000050000), first.TracksUpdatedAt);
        AssertSameRow(new PlaylistDetail
        {
            Id = 5012345678,
            Name = "通勤路上 | 耳机里的城市民谣",
            CoverUrl = "http://p3.music.126.net/Qw3rTy9uIoPaSdFgHjKlZx==/109951168000000123.jpg",
            CreatorId = 88000123,
            CreatorNickname = "晚九的公交",
            Description = "早八的地铁，晚九的公交。\n一首歌一站路。",
            Tags = ["华语", "民谣", "地铁"],
            TrackCount = 120,
            PlayCount = 12_345_678_901,
            SubscribedCount = 48213,
            ShareCount = 310,
            CommentCount = 1024,
            CreatedAt = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero),
        }, first.Detail);
    }

    [Fact]
    public void A_negative_count_is_kept_as_given_as_the_detail_parser_keeps_it()
    {
        var item = ParseOk(Fixture.Read("api-list-page.json")).Playlists[1];
        var detail = PlaylistApiParser.Parse(200, $"{{\"code\":200,\"playlist\":{CompleteItemOf(1)}}}", 3104567890);

        Assert.Equal(-2, item.Detail!.CommentCount);
        Assert.Equal(-2, detail.Value!.CommentCount);
        Assert.Equal("雨天", item.Detail.Name);
        Assert.Equal("", item.Detail.Description); // description null: the API's "none"
        Assert.Empty(item.Detail.Tags);
    }

    private static string CompleteItemOf(int index) =>
        JsonNode.Parse(Fixture.Read("api-list-page.json"))!["playlists"]![index]!.ToJsonString();

    [Fact]
    public void An_item_lacking_a_field_has_no_detail_but_keeps_what_the_list_shows()
    {
        var item = ParseOk(Fixture.Read("api-list-page.json")).Playlists[2];

        Assert.Null(item.Detail);
        Assert.Equal("no shareCount", item.Incomplete);
        Assert.Equal(("还没填完的歌单", "http://p4.music.126.net/ZzYyXxWwVvUuTtSsRrQqPp==/109951167000000001.jpg", (long?)123, "某人"),
            (item.Title, item.CoverUrl, item.CreatorId, item.CreatorNickname));
        Assert.Null(item.TracksUpdatedAt);
    }

    [Fact]
    public void A_count_past_64_bits_leaves_the_item_without_detail_naming_it()
    {
        var item = ParseOk(Fixture.Read("api-list-page.json")).Playlists[3];

        Assert.Null(item.Detail);
        Assert.Equal("playCount \"9999999999999999999999\" is not a whole number that fits in 64 bits", item.Incomplete);
        Assert.Equal("数字很大", item.Title);
    }

    public static TheoryData<string, string> RequiredFields => new()
    {
        { "name", "no name" },
        { "coverImgUrl", "no coverImgUrl" },
        { "creator", "no creator" },
        { "description", "no description" },
        { "tags", "no tags" },
        { "trackCount", "no trackCount" },
        { "playCount", "no playCount" },
        { "subscribedCount", "no subscribedCount" },
        { "shareCount", "no shareCount" },
        { "commentCount", "no commentCount" },
        { "createTime", "no createTime" },
    };

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void A_missing_field_is_missing_not_zero(string field, string incomplete)
    {
        var item = CompleteItem();
        Assert.True(item.Remove(field));

        var listed = Assert.Single(ParseOk(Answer(item)).Playlists);

        Assert.Null(listed.Detail);
        Assert.Equal(incomplete, listed.Incomplete);
    }

    [Theory]
    [InlineData("""{"userId":7,"name":"x"}""", "no creator.nickname")]
    [InlineData("""{"nickname":"x"}""", "no creator id (creator.userId or userId)")]
    public void The_creator_needs_an_id_and_a_nickname(string creator, string incomplete)
    {
        var item = CompleteItem();
        item["creator"] = JsonNode.Parse(creator);
        item.Remove("userId");

        var listed = Assert.Single(ParseOk(Answer(item)).Playlists);

        Assert.Null(listed.Detail);
        Assert.Equal(incomplete, listed.Incomplete);
    }

    [Fact]
    public void The_playlists_own_userId_stands_in_for_the_creators()
    {
        var item = CompleteItem();
        item["creator"]!.AsObject().Remove("userId");

        var listed = Assert.Single(ParseOk(Answer(item)).Playlists);

        Assert.Equal(88000123, listed.Detail!.CreatorId);
    }

    [Theory]
    [InlineData("commentCount", "9999999999999999999999", "commentCount \"9999999999999999999999\" is not a whole number that fits in 64 bits")]
    [InlineData("shareCount", "1.5", "shareCount \"1.5\" is not a whole number that fits in 64 bits")]
    [InlineData("trackCount", "\"很多\"", "trackCount \"很多\" is not a number")]
    [InlineData("playCount", "null", "playCount is null")]
    [InlineData("createTime", "true", "createTime is True, not a number")]
    [InlineData("tags", "\"华语\"", "tags is String, not an array")]
    [InlineData("tags", "null", "tags is Null, not an array")]
    [InlineData("description", "5", "description is Number, not text")]
    [InlineData("name", "\"  \"", "name is empty")]
    [InlineData("coverImgUrl", "\"\"", "coverImgUrl is empty")]
    public void A_value_that_does_not_parse_leaves_the_item_without_detail_naming_it(string field, string json, string incomplete)
    {
        var item = CompleteItem();
        item[field] = JsonNode.Parse(json);

        var listed = Assert.Single(ParseOk(Answer(item)).Playlists);

        Assert.Null(listed.Detail);
        Assert.Equal(incomplete, listed.Incomplete);
    }

    [Theory]
    [InlineData("api-v6-playlist-2829883282.json", 2829883282)]
    [InlineData("api-legacy-playlist-362750972.json", 362750972)]
    public void The_same_object_in_a_list_and_in_a_detail_gives_the_same_row(string file, long id)
    {
        var answer = JsonNode.Parse(Fixture.Read(file))!;
        var playlist = answer["playlist"] ?? answer["result"];

        var fromDetail = PlaylistApiParser.Parse(200, Fixture.Read(file), id).Value!;
        var listed = Assert.Single(ParseOk(Answer(playlist)).Playlists);

        Assert.Null(listed.Incomplete);
        AssertSameRow(fromDetail, listed.Detail);
    }

    [Fact]
    public void Every_list_item_as_a_detail_answer_gives_the_same_row_as_the_list()
    {
        var items = JsonNode.Parse(Fixture.Read("api-list-page.json"))!["playlists"]!.AsArray();
        var page = ParseOk(Fixture.Read("api-list-page.json"));

        foreach (var listed in page.Playlists.Where(p => p.Detail is not null))
        {
            var item = items.Single(i => (long)i!["id"]! == listed.Id)!;
            var detail = PlaylistApiParser.Parse(200, $"{{\"code\":200,\"playlist\":{item.ToJsonString()}}}", listed.Id);
            AssertSameRow(detail.Value!, listed.Detail);
        }
    }

    [Fact]
    public void Hostile_names_and_descriptions_are_normalised_as_the_detail_api_does()
    {
        var item = CompleteItem();
        item["name"] = "\r\n\t 午夜\r\n电台 \u3000";
        item["description"] = "\r\n  第一行\r\n第二行\n\n  ";
        item["creator"]!["nickname"] = "  <b>昵称</b>\n";

        var listed = Assert.Single(ParseOk(Answer(item)).Playlists);
        var detail = PlaylistApiParser.Parse(200, $"{{\"code\":200,\"playlist\":{item.ToJsonString()}}}", 5012345678).Value!;

        Assert.Equal("午夜\r\n电台", listed.Title);
        Assert.Equal("午夜\r\n电台", listed.Detail!.Name);
        Assert.Equal("第一行\n第二行", listed.Detail.Description);
        Assert.Equal("<b>昵称</b>", listed.CreatorNickname);
        AssertSameRow(detail, listed.Detail);
    }

    [Fact]
    public void Exact_ids_in_id_str_win_over_numbers_rounded_for_javascript()
    {
        var item = CompleteItem();
        item["id"] = 9007199254740992;
        item["id_str"] = "9007199254740993";

        Assert.Equal(9007199254740993, Assert.Single(ParseOk(Answer(item)).Playlists).Id);
    }

    [Theory]
    [InlineData("""{"name":"no id"}""", "item 1 has no playlist id (no id): skipped")]
    [InlineData("""{"id":0}""", "item 1 has no playlist id (id 0 is not above 0): skipped")]
    [InlineData("""{"id":-5}""", "item 1 has no playlist id (id -5 is not above 0): skipped")]
    [InlineData("""{"id":"abc"}""", "item 1 has no playlist id (id \"abc\" is not a number): skipped")]
    [InlineData("""{"id":1.5}""", "item 1 has no playlist id (id \"1.5\" is not a whole number that fits in 64 bits): skipped")]
    [InlineData("""{"id":99999999999999999999}""", "item 1 has no playlist id (id \"99999999999999999999\" is not a whole number that fits in 64 bits): skipped")]
    [InlineData("""{"id":null}""", "item 1 has no playlist id (id is null): skipped")]
    [InlineData("42", "item 1 is Number, not a playlist object: skipped")]
    [InlineData("null", "item 1 is Null, not a playlist object: skipped")]
    public void An_item_without_a_whole_number_id_is_skipped_with_a_line(string bad, string problem)
    {
        var page = ParseOk(Answer(JsonNode.Parse(bad), Item(11, "kept")));

        Assert.Equal("kept", Assert.Single(page.Playlists).Title);
        Assert.Equal([problem], page.Problems);
    }

    [Fact]
    public void A_list_whose_items_all_lack_an_id_is_Malformed()
    {
        var result = Parse(Answer(JsonNode.Parse("""{"name":"a"}"""), JsonNode.Parse("""{"id":"x"}""")));

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("none of the 2 list items has a playlist id", result.Reason);
    }

    [Fact]
    public void A_repeated_id_is_kept_once_where_it_first_appears_and_counted()
    {
        var page = ParseOk(Answer(Item(1, "first"), Item(2, "second"), Item(1, "again"), Item(1, "and again")));

        Assert.Equal([(1L, "first"), (2L, "second")], page.Playlists.Select(p => (p.Id, p.Title)));
        Assert.Equal(2, page.Repeats);
        Assert.Empty(page.Problems);
    }

    [Fact]
    public void An_updateTime_in_the_future_is_a_problem_line_but_the_item_is_used()
    {
        var item = CompleteItem();
        item["updateTime"] = Now.AddDays(2).ToUnixTimeMilliseconds();
        var soon = Item(2, "within a day");
        soon["updateTime"] = Now.AddHours(20).ToUnixTimeMilliseconds();

        var page = ParseOk(Answer(item, soon));

        Assert.Equal(["playlist 5012345678: updateTime 2026-12-08 12:00:00Z is in the future"], page.Problems);
        Assert.All(page.Playlists, p => Assert.NotNull(p.Detail));
    }

    public static TheoryData<string, int, string?> Totals => new()
    {
        { "\"total\":0,\"more\":false", 1, null },
        { "\"total\":35,\"more\":true", 1, null },
        { "\"total\":36,\"more\":false", 2, null },
        { "\"total\":\"70\"", 2, null },
        { "\"total\":1304", 38, null },
        { "\"total\":2147483647", 61356676, null },
        { "\"more\":true", int.MaxValue, "no total; more is true: pages are asked for until the cap on pages per category" },
        { "\"more\":false", 1, "no total; more is not true: one page" },
        { "\"cat\":\"全部\"", 1, "no total; more is not true: one page" },
        { "\"total\":-1,\"more\":true", int.MaxValue, "total -1 is negative; more is true: pages are asked for until the cap on pages per category" },
        { "\"total\":99999999999,\"more\":false", 1, "total 99999999999 is past 2147483647; more is not true: one page" },
        { "\"total\":99999999999999999999999,\"more\":true", int.MaxValue, "total \"99999999999999999999999\" is not a whole number that fits in 64 bits; more is true: pages are asked for until the cap on pages per category" },
        { "\"total\":1e400,\"more\":\"yes\"", 1, "total \"1e400\" is not a whole number that fits in 64 bits; more is not true: one page" },
        { "\"total\":\"lots\",\"more\":true", int.MaxValue, "total \"lots\" is not a number; more is true: pages are asked for until the cap on pages per category" },
        { "\"total\":null,\"more\":false", 1, "total is null; more is not true: one page" },
    };

    [Theory]
    [MemberData(nameof(Totals))]
    public void Total_pages_come_from_total_else_from_more_with_a_line_naming_the_bad_total(string rest, int pages, string? problem)
    {
        var page = ParseOk(Answer([Item(1, "a")], rest));

        Assert.Equal(pages, page.TotalPages);
        Assert.Equal(problem is null ? [] : [problem], page.Problems);
    }

    [Fact]
    public void An_empty_list_of_total_0_is_one_empty_page()
    {
        var page = ParseOk("""{"code":200,"playlists":[],"total":0,"more":false,"cat":"说唱"}""");

        Assert.Empty(page.Playlists);
        Assert.Equal(1, page.TotalPages);
        Assert.Empty(page.Problems);
    }

    [Fact]
    public void More_true_forever_plans_as_many_pages_as_the_caller_allows()
    {
        // Every answer says there is more and gives no total: the parser cannot know the end, the caller's page cap decides.
        for (var offset = 0; offset < 3; offset++)
        {
            var page = ParseOk(Answer([Item(offset + 1, "x")], "\"more\":true"), limit: 1);
            Assert.Equal(int.MaxValue, page.TotalPages);
        }
    }

    [Fact]
    public void More_items_than_asked_for_are_kept_with_a_line()
    {
        var page = ParseOk(Answer([Item(1, "a"), Item(2, "b"), Item(3, "c")], "\"total\":3"), limit: 2);

        Assert.Equal(3, page.Playlists.Count);
        Assert.Equal(2, page.TotalPages);
        Assert.Equal(["answer holds 3 playlists, more than the 2 asked for"], page.Problems);
    }

    [Fact]
    public void Problem_lines_are_capped()
    {
        var bad = Enumerable.Range(0, 30).Select(_ => JsonNode.Parse("""{"name":"no id"}"""));
        var page = ParseOk(Answer([.. bad, Item(1, "kept")]));

        Assert.Equal(PlaylistListParser.MaxProblems + 1, page.Problems.Count);
        Assert.Equal("… and 10 more problems", page.Problems[^1]);
    }

    [Theory]
    [InlineData("""{"code":-460,"msg":"Cheating"}""", "code -460: Cheating")]
    [InlineData("""{"code":-462,"data":{"blockText":"请完成验证"}}""", "code -462: 请完成验证")]
    [InlineData("""{"code":405,"msg":"操作频繁，请稍候再试"}""", "code 405: 操作频繁，请稍候再试")]
    [InlineData("""{"code":406}""", "code 406")]
    [InlineData("", "empty body")]
    [InlineData(" \r\n", "empty body")]
    public void Every_block_shape_is_Blocked(string body, string reason)
    {
        var result = Parse(body);

        Assert.Equal(PageOutcome.Blocked, result.Outcome);
        Assert.Equal(reason, result.Reason);
    }

    [Theory]
    [InlineData(503, "", "HTTP 503 from site")]
    [InlineData(429, "{}", "HTTP 429 from site")]
    [InlineData(400, """{"code":-460,"message":"Cheating"}""", "code -460: Cheating (HTTP 400)")]
    public void Blocks_under_other_statuses_are_Blocked(int status, string body, string reason)
    {
        var result = Parse(body, status: status);

        Assert.Equal(PageOutcome.Blocked, result.Outcome);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void The_overload_page_is_Blocked() =>
        Assert.Equal(PageOutcome.Blocked, Parse(Fixture.Read("site-overloaded.html")).Outcome);

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>a list page</body></html>", "invalid JSON: ")]
    [InlineData("{\"code\":200,\"playlists\":[", "invalid JSON: ")]
    [InlineData("[]", "JSON root is Array, not an object")]
    [InlineData("""{"code":500,"msg":"服务器错误"}""", "API code 500: 服务器错误")]
    [InlineData("""{"code":400}""", "API code 400")]
    [InlineData("""{"code":200,"total":5,"more":true}""", "list answer has no playlists")]
    [InlineData("""{"code":200,"playlists":null,"total":5}""", "list answer's playlists is Null, not an array")]
    [InlineData("""{"code":200,"playlists":{"id":1}}""", "list answer's playlists is Object, not an array")]
    [InlineData("""{"code":200,"playlists":"[]"}""", "list answer's playlists is String, not an array")]
    public void An_answer_that_is_not_a_list_is_Malformed_in_one_line(string body, string reason)
    {
        var result = Parse(body);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.NotNull(result.Reason);
        Assert.StartsWith(reason, result.Reason);
        Assert.DoesNotContain('\n', result.Reason);
        Assert.Null(result.Value);
    }

    [Theory]
    [InlineData("""{"code":404,"msg":"不存在"}""")]
    [InlineData("""{"code":301}""")]
    public void Not_found_and_login_codes_are_Gone(string body) =>
        Assert.Equal(PageOutcome.Gone, Parse(body).Outcome);

    [Fact]
    public void A_limit_below_1_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PlaylistListParser.Parse(200, "{}", 0, Now));
}
