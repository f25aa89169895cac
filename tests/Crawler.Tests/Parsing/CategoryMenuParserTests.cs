using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

public class CategoryMenuParserTests
{
    private static IReadOnlyList<PlaylistCategory> ParseOk(string body)
    {
        var result = CategoryMenuParser.Parse(200, body);
        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        return result.Value!;
    }

    private static PageResult<IReadOnlyList<PlaylistCategory>> Parse(string body) => CategoryMenuParser.Parse(200, body);

    private static string Menu() => Fixture.Read("discover-playlist-menu.html");

    [Fact]
    public void Menu_lists_its_categories_in_order_with_their_groups_and_without_全部()
    {
        Assert.Equal(
            [
                new PlaylistCategory("华语", "语种"),
                new PlaylistCategory("欧美", "语种"),
                new PlaylistCategory("说唱", "风格"),
                new PlaylistCategory("R&B/Soul", "风格"),
                new PlaylistCategory("另类/独立", "风格"),
                new PlaylistCategory("New Age", "风格"),
                new PlaylistCategory("下午茶", "场景"),
                new PlaylistCategory("治愈", "情感"),
                new PlaylistCategory("ACG", "主题"),
                new PlaylistCategory("00后", "主题"),
            ],
            ParseOk(Menu()));
    }

    [Fact]
    public void Links_without_data_cat_are_named_by_their_decoded_cat_query()
    {
        var body = Menu()
            .Replace(" data-cat=\"R&amp;B/Soul\"", "", StringComparison.Ordinal)
            .Replace(" data-cat=\"另类/独立\"", "", StringComparison.Ordinal)
            .Replace(" data-cat=\"New Age\"", "", StringComparison.Ordinal)
            .Replace("?cat=New%20Age", "?order=hot&amp;cat=New+Age", StringComparison.Ordinal);

        var names = ParseOk(body).Select(c => c.Name).ToList();

        Assert.Equal(["华语", "欧美", "说唱", "R&B/Soul", "另类/独立", "New Age", "下午茶", "治愈", "ACG", "00后"], names);
    }

    [Fact]
    public void Links_without_data_cat_or_cat_query_are_named_by_their_text()
    {
        var body = Menu().Replace(
            "<a class=\"s-fc1 \" href=\"/discover/playlist/?cat=%E8%AF%B4%E5%94%B1\" data-cat=\"说唱\">说唱</a>",
            "<a class=\"s-fc1 \" href=\"javascript:;\">\n   说唱\n</a>",
            StringComparison.Ordinal);

        Assert.Contains(new PlaylistCategory("说唱", "风格"), ParseOk(body));
    }

    [Fact]
    public void Header_link_to_全部_is_left_out_even_without_data_cat()
    {
        var body = Menu().Replace(" data-cat=\"全部\"", "", StringComparison.Ordinal);

        var categories = ParseOk(body);

        Assert.DoesNotContain(categories, c => c.Name.Contains("全部", StringComparison.Ordinal));
        Assert.Equal(10, categories.Count);
    }

    [Fact]
    public void A_category_named_all_is_left_out_as_the_crawls_own_word_for_every_category()
    {
        var body = Menu().Replace("data-cat=\"ACG\"", "data-cat=\"All\"", StringComparison.Ordinal);

        Assert.DoesNotContain(ParseOk(body), c => c.Name is "All" or "ACG");
    }

    [Fact]
    public void Whitespace_in_names_is_collapsed_and_trimmed()
    {
        var body = Menu().Replace("data-cat=\"New Age\"", "data-cat=\"  New \t\n Age \"", StringComparison.Ordinal);

        Assert.Contains(new PlaylistCategory("New Age", "风格"), ParseOk(body));
    }

    [Fact]
    public void Duplicates_are_listed_once_in_the_place_first_seen()
    {
        var body = Menu().Replace(
            "<a class=\"s-fc1 \" href=\"/discover/playlist/?cat=ACG\" data-cat=\"ACG\">ACG</a>",
            "<a class=\"s-fc1 \" href=\"/discover/playlist/?cat=ACG\" data-cat=\"ACG\">ACG</a><a data-cat=\"华语\">华语</a><a data-cat=\"ACG\">ACG</a>",
            StringComparison.Ordinal);

        var categories = ParseOk(body);

        Assert.Equal(categories.Select(c => c.Name).Distinct(), categories.Select(c => c.Name));
        Assert.Equal(new PlaylistCategory("华语", "语种"), categories[0]);
    }

    [Fact]
    public void Links_outside_any_group_have_no_group()
    {
        var body = Menu().Replace("<div class=\"ft\"></div>", "<div class=\"ft\"><a data-cat=\"榜单\">榜单</a></div>", StringComparison.Ordinal);

        Assert.Equal(new PlaylistCategory("榜单", null), ParseOk(body)[^1]);
    }

    [Fact]
    public void Script_and_markup_in_the_menu_do_not_become_categories()
    {
        var body = Menu().Replace(
            "<dd class=\"\">",
            "<dd class=\"\"><script>document.write('<a data-cat=\"假的\">假的</a>')</script>"
            + "<a data-cat=\"&lt;script&gt;alert(1)&lt;/script&gt;\">x</a>"
            + "<a data-cat=\"a&#1;b\">控制符</a>"
            + $"<a data-cat=\"{new string('长', 41)}\">长</a>",
            StringComparison.Ordinal);

        var categories = ParseOk(body);

        Assert.DoesNotContain(categories, c => c.Name.Contains('<') || c.Name.Contains("假的") || c.Name.Contains('\u0001') || c.Name.Length > 40);
        // A refused data-cat falls back to the link text, a plain word here.
        Assert.Equal(["x", "控制符", "长"], categories.Take(3).Select(c => c.Name));
        Assert.Equal(new PlaylistCategory("华语", "语种"), categories.First(c => c.Name == "华语"));
    }

    [Fact]
    public void Page_without_the_menu_is_Malformed_so_the_caller_falls_back()
    {
        var body = Menu().Replace("id=\"cateListBox\"", "id=\"other\"", StringComparison.Ordinal);

        var result = Parse(body);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("page has no category menu (#cateListBox)", result.Reason);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Menu_without_any_dl_or_link_is_Malformed()
    {
        var full = Menu();
        var start = full.IndexOf("<dl", StringComparison.Ordinal);
        var end = full.LastIndexOf("</dl>", StringComparison.Ordinal) + "</dl>".Length;
        var body = (full[..start] + full[end..]).Replace(" data-cat=\"全部\"", "", StringComparison.Ordinal);

        var result = Parse(body);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("category menu names no category", result.Reason);
    }

    [Fact]
    public void Page_cut_inside_the_menu_is_Malformed()
    {
        var full = Menu();
        var body = full[..full.IndexOf("data-cat=\"下午茶\"", StringComparison.Ordinal)];

        var result = Parse(body);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("category menu is truncated (no </html>)", result.Reason);
    }

    [Fact]
    public void Block_and_overload_responses_keep_their_outcome()
    {
        Assert.Equal(PageOutcome.Blocked, CategoryMenuParser.Parse(200, """{"code":-460,"msg":"Cheating"}""").Outcome);
        Assert.Equal(PageOutcome.Blocked, CategoryMenuParser.Parse(200, Fixture.Read("site-overloaded.html")).Outcome);
        Assert.Equal(PageOutcome.Blocked, CategoryMenuParser.Parse(200, "").Outcome);
    }

    [Theory]
    [InlineData("/discover/playlist/?cat=%E5%8D%8E%E8%AF%AD", "华语")]
    [InlineData("/discover/playlist/?order=hot&cat=R%26B%2FSoul&limit=35", "R&B/Soul")]
    [InlineData("/discover/playlist/?cat=New+Age#/x", "New Age")]
    [InlineData("/discover/playlist/?cat=%E5%8D%8", "%E5%8D%8")]
    [InlineData("/discover/playlist/", null)]
    [InlineData("javascript:;", null)]
    [InlineData(null, null)]
    public void Cat_query_is_percent_decoded(string? href, string? expected)
    {
        Assert.Equal(expected, CategoryMenuParser.CatFromHref(href));
    }
}

public class CategoryMenuTests
{
    [Fact]
    public void Known_categories_are_the_referenced_72_in_five_groups_without_全部()
    {
        Assert.Equal(72, CategoryMenu.Known.Count);
        Assert.Equal(CategoryMenu.Known.Count, CategoryMenu.Known.Select(c => c.Name).Distinct().Count());
        Assert.DoesNotContain(CategoryMenu.Known, c => c.Name == CategoryMenu.All);
        Assert.Equal(
            [("语种", 6), ("风格", 24), ("场景", 12), ("情感", 13), ("主题", 17)],
            CategoryMenu.Known.GroupBy(c => c.Group).Select(g => (g.Key!, g.Count())));
        Assert.Equal(new PlaylistCategory("华语", "语种"), CategoryMenu.Known[0]);
        Assert.Equal(new PlaylistCategory("00后", "主题"), CategoryMenu.Known[^1]);
        Assert.Contains(new PlaylistCategory("R&B/Soul", "风格"), CategoryMenu.Known);
        Assert.Contains(new PlaylistCategory("Bossa Nova", "风格"), CategoryMenu.Known);
    }
}
