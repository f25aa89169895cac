using AngleSharp.Dom;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class ListPageTests(DefaultSiteFixture fixture) : IClassFixture<DefaultSiteFixture>
{
    private readonly SandboxSite _site = fixture.Site;

    [Fact]
    public async Task First_page_has_35_items_in_the_catalog_order_and_a_pager()
    {
        using var client = new SiteClient(_site);
        var page = await client.ListPageAsync("说唱", 0);

        var items = page.QuerySelectorAll("ul#m-pl-container > li");
        Assert.Equal(35, items.Length);
        var ids = items.Select(item => long.Parse(item.QuerySelector("a.icon-play")!.GetAttribute("data-res-id")!)).ToList();
        Assert.Equal(_site.Catalog.PageIds("说唱", 0), ids);

        var pager = page.QuerySelector("#m-pl-pager .u-page")!;
        Assert.Equal("1", pager.QuerySelector("a.zpgi.js-selected")!.TextContent);
        Assert.Equal(_site.Catalog.TotalPages("说唱").ToString(), pager.QuerySelectorAll("a.zpgi").Last().TextContent);
        Assert.Contains("js-disabled", pager.QuerySelector("a.zprv")!.ClassName);
        Assert.DoesNotContain("js-disabled", pager.QuerySelector("a.znxt")!.ClassName);
    }

    [Fact]
    public async Task Items_carry_title_cover_thumbnail_play_count_and_creator()
    {
        using var client = new SiteClient(_site);
        var page = await client.ListPageAsync("说唱", 0);
        foreach (var item in page.QuerySelectorAll("ul#m-pl-container > li"))
        {
            var link = item.QuerySelector("p.dec a.tit")!;
            var id = long.Parse(link.GetAttribute("href")!["/playlist?id=".Length..]);
            var playlist = _site.Catalog.Playlist(id);
            Assert.Equal(playlist.Name, link.GetAttribute("title"));
            Assert.Equal(playlist.Name, link.TextContent);
            Assert.Equal(playlist.CoverUrl + "?param=140y140", item.QuerySelector("img.j-flag")!.GetAttribute("src"));
            var expectedCount = playlist.PlayCount < 100_000 ? playlist.PlayCount.ToString() : $"{playlist.PlayCount / 10_000}万";
            Assert.Equal(expectedCount, item.QuerySelector("span.nb")!.TextContent);
            var creator = item.QuerySelector("a.nm")!;
            Assert.Equal(playlist.CreatorNickname, creator.TextContent);
            Assert.Equal($"/user/home?id={playlist.CreatorId}", creator.GetAttribute("href"));
        }
    }

    [Fact]
    public async Task Last_page_is_partial_and_its_next_button_is_disabled()
    {
        using var client = new SiteClient(_site);
        var last = _site.Catalog.TotalPages("说唱") - 1;
        var page = await client.ListPageAsync("说唱", last);

        var count = page.QuerySelectorAll("ul#m-pl-container > li").Length;
        Assert.InRange(count, 1, 34);
        Assert.Equal(_site.Catalog.PageIds("说唱", last).Count, count);
        Assert.Contains("js-disabled", page.QuerySelector("#m-pl-pager a.znxt")!.ClassName);
        Assert.Equal((last + 1).ToString(), page.QuerySelector("#m-pl-pager a.zpgi.js-selected")!.TextContent);
    }

    [Fact]
    public async Task Offset_past_the_last_page_gives_an_empty_container_and_no_pager()
    {
        using var client = new SiteClient(_site);
        var page = await client.ListPageAsync("说唱", _site.Catalog.TotalPages("说唱") + 2);
        Assert.NotNull(page.QuerySelector("ul#m-pl-container"));
        Assert.Empty(page.QuerySelectorAll("ul#m-pl-container > li"));
        Assert.Null(page.QuerySelector("#m-pl-pager"));
    }

    [Fact]
    public async Task Category_空_is_empty_and_has_no_pager()
    {
        using var client = new SiteClient(_site);
        var page = await client.ListPageAsync(SandboxCatalog.EmptyCategory, 0);
        Assert.Equal(0, _site.Catalog.TotalPages("空"));
        Assert.Empty(page.QuerySelectorAll("ul#m-pl-container > li"));
        Assert.Null(page.QuerySelector("#m-pl-pager"));
    }

    [Fact]
    public async Task A_single_page_category_has_a_partial_page_and_no_pager()
    {
        using var client = new SiteClient(_site);
        var page = await client.ListPageAsync(SandboxCatalog.SinglePageCategory, 0);
        Assert.Equal(1, _site.Catalog.TotalPages("后摇"));
        Assert.InRange(page.QuerySelectorAll("ul#m-pl-container > li").Length, 1, 34);
        Assert.Null(page.QuerySelector("#m-pl-pager"));
    }

    [Theory]
    [InlineData("R&B/Soul")]
    [InlineData("New Age")]
    [InlineData("另类/独立")]
    public async Task Encoded_category_names_reach_their_own_list(string category)
    {
        using var client = new SiteClient(_site);
        var page = await client.ListPageAsync(category, 0);
        var ids = page.QuerySelectorAll("ul#m-pl-container > li a.icon-play")
            .Select(link => long.Parse(link.GetAttribute("data-res-id")!)).ToList();
        Assert.Equal(_site.Catalog.PageIds(category, 0), ids);
        Assert.Equal(category, page.QuerySelector("span.d-flag")!.TextContent);
        if (_site.Catalog.TotalPages(category) > 1)
            Assert.Contains($"cat={Uri.EscapeDataString(category)}&", page.QuerySelector("#m-pl-pager a.znxt")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Long_pagers_elide_the_middle_with_zdot()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { PagesPerCategory = 36 });
        using var client = new SiteClient(site);

        var first = await client.ListPageAsync("全部", 0);
        Assert.Equal(["1", "2", "36"], Numbers(first));
        Assert.Single(first.QuerySelectorAll("#m-pl-pager span.zdot"));
        Assert.Equal("/discover/playlist/?order=hot&cat=%E5%85%A8%E9%83%A8&limit=35&offset=1225",
            first.QuerySelectorAll("#m-pl-pager a.zpgi").Last().GetAttribute("href"));

        var middle = await client.ListPageAsync("全部", 9);
        Assert.Equal(["1", "9", "10", "11", "36"], Numbers(middle));
        Assert.Equal(2, middle.QuerySelectorAll("#m-pl-pager span.zdot").Length);
        Assert.Equal("10", middle.QuerySelector("#m-pl-pager a.js-selected")!.TextContent);

        static string[] Numbers(IDocument page) =>
            [.. page.QuerySelectorAll("#m-pl-pager a.zpgi").Select(link => link.TextContent)];
    }

    [Fact]
    public async Task Pages_point_their_base_at_the_sandbox()
    {
        using var client = new SiteClient(_site);
        var page = await client.ListPageAsync("说唱", 0);
        Assert.Equal($"//{_site.BaseUrl.Authority}/", page.QuerySelector("base")!.GetAttribute("href"));
    }
}
