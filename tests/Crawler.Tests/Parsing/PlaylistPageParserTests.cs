using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

public class PlaylistPageParserTests
{
    private static PlaylistDetail ParseOk(string body, long id)
    {
        var result = PlaylistPageParser.Parse(200, body, id);
        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        return Assert.IsType<PlaylistDetail>(result.Value);
    }

    [Fact]
    public void Reference_page_reads_every_field_exactly()
    {
        var detail = ParseOk(Fixture.Read("playlist-319135616.html"), 319135616);

        Assert.Equal(319135616, detail.Id);
        Assert.Equal("吃个早茶饼喜欢的音乐", detail.Name);
        Assert.Equal("http://p3.music.126.net/8xYnBPl89VLi8pqaJJOqXg==/18964376556038798.jpg", detail.CoverUrl);
        Assert.Equal(254672398, detail.CreatorId);
        Assert.Equal("吃个早茶饼", detail.CreatorNickname);
        Assert.Equal("喉咙唱的沙哑，也吻不到你啊", detail.Description);
        Assert.Equal(["华语"], detail.Tags);
        Assert.Equal(98, detail.TrackCount);
        Assert.Equal(798, detail.PlayCount);
        Assert.Equal(0, detail.SubscribedCount);
        Assert.Equal(0, detail.ShareCount);
        Assert.Equal(1, detail.CommentCount);
        Assert.Equal(new DateTimeOffset(2016, 3, 17, 4, 57, 22, TimeSpan.Zero), detail.CreatedAt);
        Assert.Equal(TimeSpan.Zero, detail.CreatedAt!.Value.Offset);
    }

    [Fact]
    public void Popular_page_reads_counts_past_2_to_the_31_and_every_tag()
    {
        var detail = ParseOk(Fixture.Read("playlist-2829883282.html"), 2829883282);

        Assert.Equal("午夜电台 | 霓虹城市里的合成器之声", detail.Name);
        Assert.Equal("http://p2.music.126.net/tGHU62DTszbFQ37W9qPHcg==/109951165561284475.jpg", detail.CoverUrl);
        Assert.Equal(1463586082, detail.CreatorId);
        Assert.Equal("霓虹电台", detail.CreatorNickname);
        Assert.Equal(["欧美", "电子", "夜晚"], detail.Tags);
        Assert.Equal(467, detail.TrackCount);
        Assert.Equal(3_456_789_012L, detail.PlayCount);
        Assert.Equal(2034, detail.SubscribedCount);
        Assert.Equal(156, detail.ShareCount);
        Assert.Equal(12345, detail.CommentCount);
        Assert.Equal(new DateTimeOffset(2019, 7, 1, 15, 30, 5, TimeSpan.Zero), detail.CreatedAt);
    }

    [Fact]
    public void Long_description_is_taken_from_album_desc_more_not_the_truncated_dot()
    {
        var detail = ParseOk(Fixture.Read("playlist-2829883282.html"), 2829883282);

        Assert.Equal(
            "夜里十一点半，城市还没睡。\n\n这里收集了电子、欧美、夜晚的声音：\n1. Synthwave 与 Chillwave\n2. 慢一点的 House\n\n持续更新，欢迎收藏～",
            detail.Description);
    }

    [Fact]
    public void Description_matches_what_the_json_api_gives_for_the_same_playlist()
    {
        var page = ParseOk(Fixture.Read("playlist-2829883282.html"), 2829883282);
        var api = PlaylistApiParser.Parse(200, Fixture.Read("api-v6-playlist-2829883282.json"), 2829883282).Value!;

        Assert.Equal(api.Description, page.Description);
        Assert.Equal(api.Tags, page.Tags);
        Assert.Equal(api.PlayCount, page.PlayCount);
    }

    [Fact]
    public void Description_source_line_breaks_after_br_do_not_double()
    {
        var body = Fixture.Read("playlist-319135616.html").Replace(
            "<b>介绍：</b> 喉咙唱的沙哑，也吻不到你啊<br /> </p>",
            "<b>介绍：</b>\n第一行<br />\n第二行<br>\r\n  缩进的第三行<br/></p>",
            StringComparison.Ordinal);

        Assert.Equal("第一行\n第二行\n  缩进的第三行", ParseOk(body, 319135616).Description);
    }

    [Fact]
    public void Description_is_empty_when_the_page_has_none()
    {
        Assert.Equal("", ParseOk(Fixture.Read("playlist-5078411239.html"), 5078411239).Description);
    }

    [Fact]
    public void Counts_shown_as_words_read_as_zero_and_parenthesised_text_is_used_without_data_count()
    {
        var detail = ParseOk(Fixture.Read("playlist-5078411239.html"), 5078411239);

        Assert.Equal(2034, detail.SubscribedCount);
        Assert.Equal(0, detail.ShareCount);
        Assert.Equal(0, detail.CommentCount);
        Assert.Equal(0, detail.PlayCount);
        Assert.Equal(12, detail.TrackCount);
        Assert.Empty(detail.Tags);
    }

    [Fact]
    public void Comment_count_reads_zero_when_text_is_评论()
    {
        Assert.Equal(0, ParseOk(Fixture.Read("playlist-5078411239.html"), 5078411239).CommentCount);
    }

    [Fact]
    public void Subscribed_count_reads_zero_when_text_is_收藏_without_data_count()
    {
        var body = Fixture.Read("playlist-319135616.html")
            .Replace("data-count=\"0\" data-res-action=\"fav\"", "data-res-action=\"fav\"", StringComparison.Ordinal);

        Assert.Equal(0, ParseOk(body, 319135616).SubscribedCount);
    }

    [Fact]
    public void Play_count_written_with_万_is_multiplied_by_ten_thousand()
    {
        var body = Fixture.Read("playlist-319135616.html")
            .Replace("<strong id=\"play-count\" class=\"s-fc6\">798</strong>", "<strong id=\"play-count\" class=\"s-fc6\">27万</strong>", StringComparison.Ordinal);

        Assert.Equal(270_000, ParseOk(body, 319135616).PlayCount);
    }

    [Theory]
    [InlineData("2034", 2034L)]
    [InlineData("(2034)", 2034L)]
    [InlineData(" 3456789012 ", 3456789012L)]
    [InlineData("1,234", 1234L)]
    [InlineData("27万", 270000L)]
    [InlineData("1.5万", 15000L)]
    [InlineData("3亿", 300000000L)]
    [InlineData("评论", null)]
    [InlineData("收藏", null)]
    [InlineData("分享", null)]
    [InlineData("", null)]
    public void Count_text_parses_digits_and_万_and_gives_null_for_words(string text, long? expected)
    {
        Assert.Equal(expected, CountText.Read(text).Value);
    }

    [Fact]
    public void Hostile_text_is_decoded_exactly()
    {
        var detail = ParseOk(Fixture.Read("playlist-988690134.html"), 988690134);

        Assert.Equal("<script>alert(\"x\")</script> & '单引号' \"双引号\"", detail.Name);
        Assert.Equal("<b>粗体</b>", detail.CreatorNickname);
        Assert.Equal(
            "<b>不是粗体</b> &amp; 5 > 3\n\"引号\" '单引号' \u00a0两格\n</p><script>alert(1)</script>\n很抱歉，服务器开小差了，请稍后再试\n很抱歉，你要查找的网页找不到",
            detail.Description);
        Assert.Equal(["另类/独立"], detail.Tags);
        Assert.Equal(7, detail.SubscribedCount);
        Assert.Equal(3, detail.CommentCount);
    }

    [Fact]
    public void Invalid_ld_json_falls_back_to_the_creation_date_at_beijing_midnight()
    {
        var detail = ParseOk(Fixture.Read("playlist-988690134.html"), 988690134);

        // The broken ld+json says 2017-09-30T23:59:59; the page's span.time says 2017-09-30.
        Assert.Equal(new DateTimeOffset(2017, 9, 29, 16, 0, 0, TimeSpan.Zero), detail.CreatedAt);
        Assert.Equal("http://p1.music.126.net/0Mu1wcGJbKxf7wNn0o3cEA==/109951163299512040.jpg", detail.CoverUrl);
    }

    [Fact]
    public void Creation_time_falls_back_to_span_time_when_there_is_no_ld_json()
    {
        var body = Fixture.Read("playlist-319135616.html")
            .Replace("\"pubDate\": \"2016-03-17T12:57:22\"", "\"updated\": \"x\"", StringComparison.Ordinal);

        Assert.Equal(new DateTimeOffset(2016, 3, 16, 16, 0, 0, TimeSpan.Zero), ParseOk(body, 319135616).CreatedAt);
    }

    [Fact]
    public void Cover_falls_back_to_ld_json_then_the_share_button()
    {
        var noDataSrc = Fixture.Read("playlist-319135616.html")
            .Replace(" data-src=\"http://p3.music.126.net/8xYnBPl89VLi8pqaJJOqXg==/18964376556038798.jpg\"", "", StringComparison.Ordinal);
        Assert.Equal("http://p1.music.126.net/8xYnBPl89VLi8pqaJJOqXg==/18964376556038798.jpg", ParseOk(noDataSrc, 319135616).CoverUrl);

        var onlyShare = noDataSrc
            .Replace("\"images\": [\"http://p1.music.126.net/8xYnBPl89VLi8pqaJJOqXg==/18964376556038798.jpg\"],", "", StringComparison.Ordinal)
            .Replace("data-res-pic=\"http://p1.music.126.net/8xYnBPl89VLi8pqaJJOqXg==/18964376556038798.jpg\"",
                "data-res-pic=\"//p4.music.126.net/8xYnBPl89VLi8pqaJJOqXg==/18964376556038798.jpg?param=200y200\"", StringComparison.Ordinal);
        Assert.Equal("http://p4.music.126.net/8xYnBPl89VLi8pqaJJOqXg==/18964376556038798.jpg", ParseOk(onlyShare, 319135616).CoverUrl);
    }

    [Fact]
    public void Name_falls_back_to_the_title_without_its_suffix()
    {
        var body = Fixture.Read("playlist-319135616.html")
            .Replace("<h2 class=\"f-ff2 f-brk\">吃个早茶饼喜欢的音乐</h2>", "", StringComparison.Ordinal);

        Assert.Equal("吃个早茶饼喜欢的音乐", ParseOk(body, 319135616).Name);
    }

    [Fact]
    public void Name_falls_back_to_the_share_button_without_heading_or_title()
    {
        var body = Fixture.Read("playlist-319135616.html")
            .Replace("<h2 class=\"f-ff2 f-brk\">吃个早茶饼喜欢的音乐</h2>", "", StringComparison.Ordinal)
            .Replace("<title>吃个早茶饼喜欢的音乐 - 歌单 - 网易云音乐</title>", "", StringComparison.Ordinal);

        Assert.Equal("吃个早茶饼喜欢的音乐", ParseOk(body, 319135616).Name);
    }

    [Fact]
    public void Page_with_no_heading_title_or_buttons_is_Malformed()
    {
        var result = PlaylistPageParser.Parse(200, "<!DOCTYPE html><html><head></head><body><p>hello</p></body></html>", 319135616);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Page_with_buttons_but_no_name_anywhere_is_Malformed()
    {
        var body = Fixture.Read("playlist-319135616.html")
            .Replace("<h2 class=\"f-ff2 f-brk\">吃个早茶饼喜欢的音乐</h2>", "", StringComparison.Ordinal)
            .Replace("<title>吃个早茶饼喜欢的音乐 - 歌单 - 网易云音乐</title>", "<title>网易云音乐</title>", StringComparison.Ordinal)
            .Replace("data-res-name=\"吃个早茶饼喜欢的音乐\"", "", StringComparison.Ordinal);

        var result = PlaylistPageParser.Parse(200, body, 319135616);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("playlist page has no name", result.Reason);
    }

    [Fact]
    public void Page_of_another_playlist_is_Malformed()
    {
        var result = PlaylistPageParser.Parse(200, Fixture.Read("playlist-319135616.html"), 362750972);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("page is for playlist 319135616, expected 362750972", result.Reason);
    }

    [Fact]
    public void Not_found_page_is_Gone()
    {
        var result = PlaylistPageParser.Parse(200, Fixture.Read("playlist-not-found.html"), 319135616);

        Assert.Equal(PageOutcome.Gone, result.Outcome);
        Assert.Equal("page not found", result.Reason);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(60)]
    [InlineData(90)]
    public void Truncated_page_is_Malformed_and_never_throws(int percent)
    {
        var full = Fixture.Read("playlist-2829883282.html");

        var result = PlaylistPageParser.Parse(200, full[..(full.Length * percent / 100)], 2829883282);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
    }

    public static TheoryData<int, string> Blocks => new()
    {
        { 200, """{"code":-460,"msg":"Cheating"}""" },
        { 200, """{"code":-460,"msg":"网络太拥挤，请稍候再试！"}""" },
        { 200, """{"code":-460,"msg":"检测到您的网络环境存在风险，请稍后再试"}""" },
        { 200, """{"code":-462,"data":{"blockText":"请完成验证"}}""" },
        { 200, """{"code":405,"msg":"操作频繁，请稍候再试"}""" },
        { 200, """{"code":406,"msg":"操作频繁，请稍候再试"}""" },
        { 503, "<html><body>Service Unavailable</body></html>" },
        { 200, "" },
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Every_block_shape_is_Blocked(int status, string body)
    {
        var result = PlaylistPageParser.Parse(status, body, 319135616);

        Assert.Equal(PageOutcome.Blocked, result.Outcome);
        Assert.Null(result.Value);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    [Fact]
    public void Overload_page_is_Blocked()
    {
        Assert.Equal(PageOutcome.Blocked, PlaylistPageParser.Parse(200, Fixture.Read("site-overloaded.html"), 319135616).Outcome);
    }

    [Theory]
    [InlineData("""{"code":301}""")]
    [InlineData("""{"code":20001,"msg":"登录后才可查看"}""")]
    [InlineData("""{"code":401,"msg":"无访问权限"}""")]
    [InlineData("""{"code":404,"msg":"歌单不存在"}""")]
    public void Login_private_and_missing_json_is_Gone(string body)
    {
        Assert.Equal(PageOutcome.Gone, PlaylistPageParser.Parse(200, body, 319135616).Outcome);
    }

    [Theory]
    [InlineData("2016-03-17T12:57:22", "2016-03-17T04:57:22+00:00")]
    [InlineData("2016-03-17T06:30:00", "2016-03-16T22:30:00+00:00")]
    [InlineData("2016-03-17 12:57:22", "2016-03-17T04:57:22+00:00")]
    [InlineData("2016-03-17T12:57:22Z", "2016-03-17T12:57:22+00:00")]
    [InlineData("2016-03-17T12:57:22+08:00", "2016-03-17T04:57:22+00:00")]
    public void Pub_date_is_beijing_time_converted_to_utc(string text, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), PlaylistPageParser.ParseBeijingTime(text));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("2016-13-45T12:57:22")]
    [InlineData("not a date")]
    [InlineData("")]
    public void Junk_pub_date_gives_no_time(string text)
    {
        Assert.Null(PlaylistPageParser.ParseBeijingTime(text));
    }

    [Fact]
    public void Owners_view_reads_the_fav_button_by_class_and_a_bare_评论_as_zero_comments()
    {
        var detail = ParseOk(Fixture.Read("playlist-owner-view.html"), 6843809123);

        Assert.Equal("小满喜欢的音乐", detail.Name);
        Assert.Equal("http://p4.music.126.net/Qm1Xv0c2nWQ5ZTJ3pVJ1bA==/109951166012345678.jpg", detail.CoverUrl);
        Assert.Equal(3141592653, detail.CreatorId);
        Assert.Equal("小满", detail.CreatorNickname);
        Assert.Equal("", detail.Description);
        Assert.Empty(detail.Tags);
        Assert.Equal(212, detail.TrackCount);
        Assert.Equal(4096, detail.PlayCount);
        Assert.Equal(3, detail.SubscribedCount);
        Assert.Equal(2, detail.ShareCount);
        Assert.Equal(0, detail.CommentCount);
        Assert.Equal(new DateTimeOffset(2021, 5, 20, 16, 30, 45, TimeSpan.Zero), detail.CreatedAt);
    }

    [Fact]
    public void Fav_button_text_is_read_when_it_has_neither_data_res_action_nor_data_count()
    {
        var body = Fixture.Read("playlist-owner-view.html")
            .Replace("data-count=\"3\"\nclass=\"u-btni u-btni-fav", "class=\"u-btni u-btni-fav", StringComparison.Ordinal);

        Assert.Equal(3, ParseOk(body, 6843809123).SubscribedCount);
    }

    [Fact]
    public void Share_button_is_found_by_class_without_data_res_action()
    {
        var body = Fixture.Read("playlist-owner-view.html")
            .Replace("data-res-action=\"share\"", "", StringComparison.Ordinal);

        Assert.Equal(2, ParseOk(body, 6843809123).ShareCount);
    }

    [Fact]
    public void Fav_spans_in_the_comment_templates_are_not_taken_for_the_fav_button()
    {
        var body = Fixture.Read("playlist-owner-view.html")
            .Replace("class=\"u-btni u-btni-fav u-btni-fav-dis2\"", "class=\"u-btni\"", StringComparison.Ordinal);

        Assert.Equal(0, ParseOk(body, 6843809123).SubscribedCount);
    }

    [Fact]
    public void Name_and_cover_fall_back_to_og_meta_tags()
    {
        var body = Fixture.Read("playlist-owner-view.html")
            .Replace("<h2 class=\"f-ff2 f-brk\">小满喜欢的音乐</h2>", "", StringComparison.Ordinal)
            .Replace("<title>小满喜欢的音乐 - 歌单 - 网易云音乐</title>", "<title>网易云音乐</title>", StringComparison.Ordinal)
            .Replace("data-res-name=\"小满喜欢的音乐\"", "", StringComparison.Ordinal)
            .Replace(" data-src=\"http://p4.music.126.net/Qm1Xv0c2nWQ5ZTJ3pVJ1bA==/109951166012345678.jpg\"", "", StringComparison.Ordinal)
            .Replace("\"images\": [\"https://p2.music.126.net/Qm1Xv0c2nWQ5ZTJ3pVJ1bA==/109951166012345678.jpg\"],", "", StringComparison.Ordinal)
            .Replace("<meta property=\"og:image\" content=\"https://p2.", "<meta property=\"og:image\" content=\"https://p3.", StringComparison.Ordinal);

        var detail = ParseOk(body, 6843809123);

        Assert.Equal("小满喜欢的音乐", detail.Name);
        Assert.Equal("https://p3.music.126.net/Qm1Xv0c2nWQ5ZTJ3pVJ1bA==/109951166012345678.jpg", detail.CoverUrl);
    }

    [Theory]
    [InlineData("og:url")]
    [InlineData("canonical")]
    public void Page_whose_og_url_or_canonical_link_names_another_playlist_is_Malformed(string which)
    {
        var body = Fixture.Read("playlist-owner-view.html")
            .Replace("data-res-id=\"6843809123\"", "data-res-id=\"\"", StringComparison.Ordinal)
            .Replace("data-rid=\"6843809123\"", "", StringComparison.Ordinal);
        body = which == "og:url"
            ? body.Replace("content=\"https://music.163.com/playlist?id=6843809123\"", "content=\"https://music.163.com/playlist?id=77\"", StringComparison.Ordinal)
            : body.Replace("href=\"https://music.163.com/playlist?id=6843809123\"", "href=\"https://music.163.com/playlist?id=77\"", StringComparison.Ordinal);

        var result = PlaylistPageParser.Parse(200, body, 6843809123);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("page is for playlist 77, expected 6843809123", result.Reason);
    }

    public static TheoryData<string, string, string> HostileCounts => new()
    {
        { "<strong id=\"play-count\" class=\"s-fc6\">4096</strong>", "<strong id=\"play-count\" class=\"s-fc6\">9999999999999999999999</strong>", "play count \"9999999999999999999999\" does not fit in 64 bits" },
        { "<strong id=\"play-count\" class=\"s-fc6\">4096</strong>", "<strong id=\"play-count\" class=\"s-fc6\">9999999999999亿</strong>", "play count \"9999999999999亿\" does not fit in 64 bits" },
        { "<span id=\"playlist-track-count\">212</span>", "<span id=\"playlist-track-count\">9999999999999999万</span>", "track count \"9999999999999999万\" does not fit in 64 bits" },
        { "data-count=\"3\"", "data-count=\"18446744073709551616\"", "subscribed count \"18446744073709551616\" does not fit in 64 bits" },
        { "<i>(2)</i></a>", "<i>(99999999999999999999)</i></a>", "share count \"(99999999999999999999)\" does not fit in 64 bits" },
        { "<span id=\"cnt_comment_count\">评论</span>", $"<span id=\"cnt_comment_count\">{new string('9', 200)}</span>", $"comment count \"{new string('9', 80)}…\" does not fit in 64 bits" },
    };

    [Theory]
    [MemberData(nameof(HostileCounts))]
    public void Count_past_64_bits_is_Malformed_naming_the_count_and_quoting_its_text(string from, string to, string reason)
    {
        var body = Fixture.Read("playlist-owner-view.html").Replace(from, to, StringComparison.Ordinal);
        if (from == "<i>(2)</i></a>")
        {
            body = body.Replace("data-count=\"2\"", "", StringComparison.Ordinal);
        }

        var result = PlaylistPageParser.Parse(200, body, 6843809123);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Largest_64_bit_play_count_is_read_exactly()
    {
        var body = Fixture.Read("playlist-owner-view.html")
            .Replace(">4096</strong>", ">9223372036854775807</strong>", StringComparison.Ordinal);

        Assert.Equal(long.MaxValue, ParseOk(body, 6843809123).PlayCount);
    }
}
