using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

public class ListPageParserTests
{
    private static ListPage ParseOk(string body)
    {
        var result = ListPageParser.Parse(200, body);
        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        return Assert.IsType<ListPage>(result.Value);
    }

    [Fact]
    public void List_page_reads_every_playlist_in_page_order()
    {
        var page = ParseOk(Fixture.Read("list-page-1.html"));

        Assert.Equal(
            [
                new ListedPlaylist(362750972, "论 备 胎 的 自 我 修 养",
                    "http://p1.music.126.net/Bg9YMzxgykJpSSN5TC0FoQ==/109951163426607691.jpg", 265213820, "病鹿"),
                new ListedPlaylist(7461352829, "R&B 夜晚 | \"慢\"一点",
                    "http://p2.music.126.net/tGHU62DTszbFQ37W9qPHcg==/109951165561284475.jpg", 1463586082, "云音乐R&B"),
                new ListedPlaylist(319135616, "吃个早茶饼喜欢的音乐",
                    "http://p3.music.126.net/8xYnBPl89VLi8pqaJJOqXg==/18964376556038798.jpg", 254672398, "吃个早茶饼"),
                new ListedPlaylist(8273937640, "深夜后摇 | 在寂静中听见回声",
                    "http://p4.music.126.net/2Kh9nJu6fUNSbE8iLOJdVw==/109951168223421331.jpg", 9003, "回声收集者"),
            ],
            page.Playlists);
    }

    [Fact]
    public void Playlist_id_falls_back_to_the_play_button_when_the_link_has_no_href()
    {
        var page = ParseOk(Fixture.Read("list-page-1.html"));

        Assert.Contains(page.Playlists, p => p.Id == 8273937640 && p.Title == "深夜后摇 | 在寂静中听见回声");
    }

    [Fact]
    public void Ids_past_2_to_the_31_are_read_whole()
    {
        var page = ParseOk(Fixture.Read("list-page-1.html"));

        Assert.Contains(page.Playlists, p => p.Id == 7461352829L);
    }

    [Fact]
    public void Total_pages_is_the_last_pager_number_across_the_zdot_elision()
    {
        Assert.Equal(36, ParseOk(Fixture.Read("list-page-1.html")).TotalPages);
    }

    [Fact]
    public void Last_page_is_partial_and_still_reports_the_total()
    {
        var page = ParseOk(Fixture.Read("list-page-last.html"));

        Assert.Equal(36, page.TotalPages);
        Assert.Equal([2431947541L, 5176542312L], page.Playlists.Select(p => p.Id));
    }

    [Fact]
    public void Total_pages_is_1_without_a_pager()
    {
        var page = ParseOk(Fixture.Read("list-page-no-pager.html"));

        Assert.Equal(1, page.TotalPages);
        Assert.Equal(2, page.Playlists.Count);
    }

    [Fact]
    public void Empty_container_is_Ok_with_zero_playlists()
    {
        var page = ParseOk(Fixture.Read("list-page-empty.html"));

        Assert.Empty(page.Playlists);
        Assert.Equal(1, page.TotalPages);
    }

    [Fact]
    public void Page_without_the_container_is_Malformed()
    {
        var result = ListPageParser.Parse(200, "<!DOCTYPE html><html><head><title>网易云音乐</title></head><body><div class=\"g-bd\">发现音乐</div></body></html>");

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("list page has no playlist container", result.Reason);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Items_without_an_id_are_skipped_and_counted()
    {
        var body = Fixture.Read("list-page-no-pager.html")
            .Replace("/playlist?id=2431947541", "/playlist?id=", StringComparison.Ordinal)
            .Replace("data-res-id=\"2431947541\"", "data-res-id=\"\"", StringComparison.Ordinal);

        var result = ListPageParser.Parse(200, body);

        Assert.Equal(PageOutcome.Ok, result.Outcome);
        Assert.Equal([5176542312L], result.Value!.Playlists.Select(p => p.Id));
        Assert.Equal("skipped 1 of 2 list items with no playlist id", result.Reason);
    }

    [Fact]
    public void Page_where_no_item_has_an_id_is_Malformed()
    {
        var body = Fixture.Read("list-page-no-pager.html")
            .Replace("id=2431947541", "id=", StringComparison.Ordinal)
            .Replace("id=5176542312", "id=", StringComparison.Ordinal)
            .Replace("data-res-id=\"2431947541\"", "", StringComparison.Ordinal)
            .Replace("data-res-id=\"5176542312\"", "", StringComparison.Ordinal);

        var result = ListPageParser.Parse(200, body);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("none of the 2 list items has a playlist id", result.Reason);
    }

    public static TheoryData<int> CutPoints => new() { 1, 5, 15, 25, 40, 50, 60, 75, 85, 90, 94 };

    [Theory]
    [MemberData(nameof(CutPoints))]
    public void Page_cut_before_the_next_page_button_is_Malformed_and_never_throws(int percent)
    {
        var full = Fixture.Read("list-page-1.html");
        var body = full[..(full.Length * percent / 100)];
        Assert.True(body.Length < full.IndexOf("class=\"zbtn znxt\"", StringComparison.Ordinal), "cut must fall before the next-page button");

        var result = ListPageParser.Parse(200, body);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Null(result.Value);
    }

    [Theory]
    [InlineData("下一页</a>")]
    [InlineData("</body>")]
    public void Page_cut_after_the_next_page_button_lost_nothing_and_is_Ok(string cutAfter)
    {
        var full = Fixture.Read("list-page-1.html");
        var body = full[..(full.IndexOf(cutAfter, StringComparison.Ordinal) + cutAfter.Length)];

        var page = ParseOk(body);

        Assert.Equal(ParseOk(full).Playlists, page.Playlists);
        Assert.Equal(4, page.Playlists.Count);
        Assert.Equal(36, page.TotalPages);
    }

    [Fact]
    public void Page_cut_between_the_list_and_the_pager_is_Malformed_rather_than_one_page_long()
    {
        var full = Fixture.Read("list-page-1.html");
        var body = full[..full.IndexOf("<div id=\"m-pl-pager\">", StringComparison.Ordinal)];

        var result = ListPageParser.Parse(200, body);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("list page is truncated (no </html>)", result.Reason);
    }

    [Fact]
    public void Block_json_on_a_list_url_is_Blocked()
    {
        var result = ListPageParser.Parse(200, """{"code":-460,"msg":"Cheating"}""");

        Assert.Equal(PageOutcome.Blocked, result.Outcome);
        Assert.Equal("code -460: Cheating", result.Reason);
    }

    [Fact]
    public void Overload_page_on_a_list_url_is_Blocked()
    {
        Assert.Equal(PageOutcome.Blocked, ListPageParser.Parse(200, Fixture.Read("site-overloaded.html")).Outcome);
    }

    [Fact]
    public void Title_falls_back_to_the_caption_link_text()
    {
        var body = Fixture.Read("list-page-no-pager.html")
            .Replace("<a title=\"地下说唱精选\" href=\"/playlist?id=2431947541\" class=\"msk\">", "<a href=\"/playlist?id=2431947541\" class=\"msk\">", StringComparison.Ordinal);

        var page = ParseOk(body);

        Assert.Equal("地下说唱精选", page.Playlists[0].Title);
    }

    /// <summary>A list page of <paramref name="count"/> copies of one real-shape item, ids 1000+i (or all the same id).</summary>
    private static string PageOf(int count, bool sameId = false)
    {
        var full = Fixture.Read("discover-playlist-menu.html");
        var start = full.IndexOf("<li>", StringComparison.Ordinal);
        var end = full.IndexOf("</li>", StringComparison.Ordinal) + "</li>".Length;
        var item = full[start..end];
        var items = Enumerable.Range(0, count).Select(i => item.Replace("2900000001", (sameId ? 1000 : 1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var listEnd = full.IndexOf("</ul>", StringComparison.Ordinal);
        return full[..start] + string.Join("\n", items) + full[listEnd..];
    }

    [Fact]
    public void Page_of_35_playlists_is_Ok()
    {
        Assert.Equal(35, ParseOk(PageOf(35)).Playlists.Count);
    }

    [Theory]
    [InlineData(36)]
    [InlineData(500)]
    public void Page_of_more_than_35_playlists_is_Malformed(int count)
    {
        var result = ListPageParser.Parse(200, PageOf(count));

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal($"page lists {count} playlists, more than 35", result.Reason);
    }

    [Fact]
    public void Duplicate_ids_within_a_page_are_kept_for_the_caller_to_dedup()
    {
        var page = ParseOk(PageOf(3, sameId: true));

        Assert.Equal([1000L, 1000L, 1000L], page.Playlists.Select(p => p.Id));
    }

    [Theory]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("2147483648", int.MaxValue)]
    [InlineData("9223372036854775807", int.MaxValue)]
    [InlineData("99999999999999999999999999", int.MaxValue)]
    [InlineData("1200", 1200)]
    public void Pager_last_page_is_clamped_to_int_max(string last, int expected)
    {
        var body = Fixture.Read("discover-playlist-menu.html")
            .Replace("class=\"zpgi\">38</a>", $"class=\"zpgi\">{last}</a>", StringComparison.Ordinal);

        Assert.Equal(expected, ParseOk(body).TotalPages);
    }

    [Theory]
    [InlineData("9999999999999亿")]
    [InlineData("99999999999万")]
    [InlineData("9999999999999999999999")]
    [InlineData("很多")]
    public void Hostile_play_count_on_an_item_is_ignored_as_the_list_does_not_keep_it(string nb)
    {
        var full = Fixture.Read("discover-playlist-menu.html");
        var body = full.Replace("<span class=\"nb\">13759万</span>", $"<span class=\"nb\">{nb}</span>", StringComparison.Ordinal);

        Assert.Equal(ParseOk(full).Playlists, ParseOk(body).Playlists);
    }

    [Fact]
    public void Indented_page_with_escaped_pager_hrefs_and_a_u_icn_1_badge_reads_every_field()
    {
        var page = ParseOk(Fixture.Read("discover-playlist-menu.html"));

        Assert.Equal(
            [
                new ListedPlaylist(2900000001, "通勤路上的 \"慢\" 歌",
                    "http://p1.music.126.net/Zx1nQk2Yc3Vb7Lw9Pq0aTg==/109951164000000011.jpg", 1452176465, "云音乐VIP"),
                new ListedPlaylist(2900000002, "周末 · 旧唱片",
                    "http://p1.music.126.net/Ab2cD3eF4gH5iJ6kL7mN8o==/109951164000000022.jpg", 7010, "唱片架"),
            ],
            page.Playlists);
        Assert.Equal(38, page.TotalPages);
    }

    [Fact]
    public void Fragment_saved_from_the_container_to_the_pager_is_Ok()
    {
        // The shape of the 2019 capture: it starts at <div class="g-bd"> and stops after the pager.
        var full = Fixture.Read("discover-playlist-menu.html");
        var start = full.IndexOf("<div class=\"g-bd\"", StringComparison.Ordinal);
        var end = full.IndexOf("下一页</a>", StringComparison.Ordinal) + "下一页</a>".Length;

        var page = ParseOk(full[start..end] + "\n</div>\n</div>");

        Assert.Equal(ParseOk(full).Playlists, page.Playlists);
        Assert.Equal(38, page.TotalPages);
    }
}
