using System.Net;
using System.Text.RegularExpressions;
using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing.RealCaptures;

/// <summary>List pages (全部, hot order, page 1) saved from the real site: every item, the pager total, the menu.</summary>
public partial class RealListPageTests
{
    private static ListPage ParseOk(string file)
    {
        var result = ListPageParser.Parse(200, RealCapture.Read(file));
        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        Assert.Null(result.Reason); // no item was skipped
        return result.Value!;
    }

    [RealCaptureFact]
    public void List_of_2018_reads_every_item_and_36_pages()
    {
        var page = ParseOk("list_all_2018_excerpt.html");

        // The excerpt keeps 9 of the page's items (the others are elided in comments).
        Assert.Equal(
            [
                new ListedPlaylist(362750972, "论 备 胎 的 自 我 修 养",
                    "http://p1.music.126.net/Bg9YMzxgykJpSSN5TC0FoQ==/109951163426607691.jpg", 265213820, "病鹿"),
                new ListedPlaylist(2246083959, "电子合成器 ° 梦幻旋律",
                    "http://p1.music.126.net/RwvJxWN47eLsqG1mrG6-Zg==/109951163403826419.jpg", 374353420, "礁池"),
                new ListedPlaylist(2333114395, "精致节拍 | 时髦的人听什么",
                    "http://p1.music.126.net/4B_awFt7IT8N108gS_rN6g==/109951163426206591.jpg", 201586, "原创君"),
                new ListedPlaylist(2206554259, "【前奏控》叮叮咚咚の日系小调~",
                    "http://p1.music.126.net/acrgivA7Bf8VPWTJQrT__A==/18782957139499648.jpg", 259040755, "还你一个夏天"),
                new ListedPlaylist(2296960543, "夏日降温必备 | 气清天朗 吾心爽凉",
                    "http://p1.music.126.net/7urRjuuETg0IHzIZSFtTgg==/18715886930225049.jpg", 308097990, "外太空来的Mercy"),
                new ListedPlaylist(2117575882, "积极点 今天的阳光也很灿烂呢",
                    "http://p1.music.126.net/LKJbBnnTv6J3UwCyishcXA==/19069929672760506.jpg", 99303412, "Su_VenaD"),
                new ListedPlaylist(2331136477, "国风民谣 |满堂花醉三千客，一剑霜寒十四州",
                    "http://p1.music.126.net/EpI_hkgYrrpePyueFTpoog==/18494885093033438.jpg", 248426205, "鹤禅眠"),
                new ListedPlaylist(2331139996, "中文十级空耳神曲 非战斗人士请撤离！",
                    "http://p1.music.126.net/tgXn0VYz7mqZECuiSmiP9g==/109951163424138751.jpg", 1452176465, "云音乐VIP"),
                new ListedPlaylist(2310363081, "\" 不思进取 思你 \"",
                    "http://p1.music.126.net/2LIFpjhtGk0l67uB7ZCQug==/109951163402375543.jpg", 330932370, "迟到情书"),
            ],
            page.Playlists);
        Assert.Equal(36, page.TotalPages);
    }

    [RealCaptureFact]
    public void List_of_2019_reads_all_35_items_and_38_pages()
    {
        var page = ParseOk("list_all_2019_excerpt.html");

        Assert.Equal(
            [
                766660144L, 697388472, 441405004, 2817562565, 2804088126, 2825723355, 2714730313, 2602222983, 2624358294,
                2520739691, 2525632823, 2550277551, 2703033645, 2585930499, 2778782119, 2645113725, 2715933347, 2768395509,
                2708862630, 2749548726, 2634203521, 2616416061, 2787144704, 2580152625, 2741090294, 2766380680, 2730400667,
                2681834722, 2711754983, 2786803341, 2547569563, 2732551164, 2638921957, 2816868904, 2666227098,
            ],
            page.Playlists.Select(p => p.Id));
        Assert.Equal(38, page.TotalPages); // pager hrefs here use &amp;
        Assert.Equal(
            new ListedPlaylist(766660144, "人生赢家：纵有疾风起，人生不言弃",
                "http://p1.music.126.net/s1ReDdkWzbOLelH52ciYqQ==/109951164089607939.jpg", 268678989, "随身音乐厅"),
            page.Playlists[0]);
        Assert.Equal(
            new ListedPlaylist(2585930499, "Anjunadeep 巴 黎 高 定 时 装 周!!!",
                "http://p1.music.126.net/5DOwAf0dpCOLQLXkBUmYoQ==/109951163819242649.jpg", 1431935604, "Anjunadeep"),
            page.Playlists[13]);
        Assert.Equal(
            new ListedPlaylist(2666227098, "Kawaii Bass ✿ 萌系电音 糖果鼓点",
                "http://p1.music.126.net/tm8aFjPlcQnTLWhnnxUebw==/109951163910647823.jpg", 1418275670, "凄箩"),
            page.Playlists[^1]);
        // The same creators list two playlists each on this page.
        Assert.Equal(2, page.Playlists.Count(p => p.CreatorId == 201586 && p.CreatorNickname == "原创君"));
        Assert.Equal(2, page.Playlists.Count(p => p.CreatorId == 471776903 && p.CreatorNickname == "情感文字君"));
    }

    [RealCaptureFact]
    public void Every_item_of_both_lists_matches_a_plain_reading_of_its_markup()
    {
        foreach (var file in new[] { "list_all_2018_excerpt.html", "list_all_2019_excerpt.html" })
        {
            var body = RealCapture.Read(file);
            Assert.Equal(PlainReading(body), ParseOk(file).Playlists);
        }
    }

    [RealCaptureFact]
    public void Menu_of_2019_lists_the_known_categories_in_their_groups()
    {
        var result = CategoryMenuParser.Parse(200, RealCapture.Read("list_all_2019_excerpt.html"));

        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        Assert.Equal(CategoryMenu.Known, result.Value);
        Assert.Contains(new PlaylistCategory("R&B/Soul", "风格"), result.Value!); // data-cat="R&amp;B/Soul"
    }

    [RealCaptureFact]
    public void Menu_elided_from_the_2018_excerpt_is_Malformed_so_the_caller_falls_back()
    {
        var result = CategoryMenuParser.Parse(200, RealCapture.Read("list_all_2018_excerpt.html"));

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("category menu names no category", result.Reason);
    }

    /// <summary>
    /// An independent reading of each <c>&lt;li&gt;</c> by regular expression, as a person would read the markup:
    /// the mask link's title and id, the image without its ?param, the creator link's id and text.
    /// </summary>
    private static List<ListedPlaylist> PlainReading(string body)
    {
        var list = body[body.IndexOf("id=\"m-pl-container\"", StringComparison.Ordinal)..];
        return Item().Matches(list)
            .Select(m => new ListedPlaylist(
                long.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture),
                WebUtility.HtmlDecode(m.Groups["title"].Value).Trim(),
                m.Groups["img"].Value,
                long.Parse(m.Groups["uid"].Value, System.Globalization.CultureInfo.InvariantCulture),
                WebUtility.HtmlDecode(m.Groups["nick"].Value).Trim()))
            .ToList();
    }

    [GeneratedRegex("""<li>\s*<div class="u-cover u-cover-1">\s*<img class="j-flag" src="(?<img>[^"?]*)\?param=140y140"\s*/>\s*<a title="(?<title>[^"]*)" href="/playlist\?id=(?<id>\d+)" class="msk">.*?<a title="[^"]*" href="/user/home\?id=(?<uid>\d+)" class="nm nm-icn f-thide s-fc3">(?<nick>[^<]*)</a>.*?</li>""", RegexOptions.Singleline)]
    private static partial Regex Item();
}
