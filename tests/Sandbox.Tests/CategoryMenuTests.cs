using System.Diagnostics;
using AngleSharp.Dom;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class CategoryMenuTests(DefaultSiteFixture fixture) : IClassFixture<DefaultSiteFixture>
{
    private readonly SandboxSite _site = fixture.Site;

    [Theory]
    [InlineData("/discover/playlist/")]
    [InlineData("/discover/playlist/?order=hot&cat=%E8%AF%B4%E5%94%B1&limit=35&offset=35")]
    [InlineData("/discover/playlist/?cat=%E7%A9%BA")]
    [InlineData("/discover/playlist/?cat=R%26B%2FSoul&offset=99999")]
    public async Task Every_list_page_carries_the_full_menu_by_default(string path)
    {
        using var client = new SiteClient(_site);
        var menu = (await client.PageAsync(path)).GetElementById("cateListBox")!;
        Assert.Equal("n-sltlyr d-flag", menu.ClassName);

        var all = menu.QuerySelector("a.u-btn.u-btn-g")!;
        Assert.Equal(("/discover/playlist/", "全部", "全部风格"), (all.GetAttribute("href"), all.GetAttribute("data-cat"), all.TextContent));
        Assert.Equal(["语种", "风格", "场景", "情感", "主题"], menu.QuerySelectorAll("dl.f-cb > dt").Select(dt => dt.TextContent));

        var links = Links(menu);
        Assert.Equal(72, links.Count);
        Assert.Equal(SandboxCatalog.ListedCategories, links.Select(link => link.GetAttribute("data-cat")));
        Assert.Equal(_site.Catalog.MenuCategories, links.Select(link => link.TextContent));
        Assert.All(links, link => Assert.Equal($"/discover/playlist/?cat={Uri.EscapeDataString(link.GetAttribute("data-cat")!)}", link.GetAttribute("href")));
        Assert.Equal(links.Count, menu.QuerySelectorAll("dd span.line").Length);
    }

    [Fact]
    public async Task Menu_names_are_escaped_in_text_attributes_and_hrefs()
    {
        using var client = new SiteClient(_site);
        var html = await client.TextAsync("/discover/playlist/");
        Assert.Contains("<a class=\"s-fc1 \" href=\"/discover/playlist/?cat=R%26B%2FSoul\" data-cat=\"R&amp;B/Soul\">R&amp;B/Soul</a><span class=\"line\">|</span>", html);
        Assert.Contains("href=\"/discover/playlist/?cat=New%20Age\"", html);
        Assert.Contains("<a class=\"s-fc1 \" href=\"/discover/playlist/?cat=%E5%8D%8E%E8%AF%AD\" data-cat=\"华语\">华语</a>", html);
        Assert.Contains("<dt><i class=\"u-icn u-icn-71\"></i>语种</dt>", html);
    }

    [Fact]
    public async Task Menu_categories_option_keeps_the_first_n()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { MenuCategories = 8 });
        using var client = new SiteClient(site);
        var menu = (await client.PageAsync("/discover/playlist/")).GetElementById("cateListBox")!;
        string[] expected = ["华语", "欧美", "日语", "韩语", "粤语", "小语种", "流行", "摇滚"];
        Assert.Equal(expected, site.Catalog.MenuCategories);
        Assert.Equal(expected, Links(menu).Select(link => link.TextContent));
        Assert.Equal(["语种", "风格"], menu.QuerySelectorAll("dl.f-cb > dt").Select(dt => dt.TextContent));
        Assert.Equal("全部", menu.QuerySelector("a.u-btn-g")!.GetAttribute("data-cat"));
    }

    [Fact]
    public async Task A_crawl_from_the_menu_through_every_pager_finds_the_expected_whole_site()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { MenuCategories = 9, PagesPerCategory = 4, DeletedRate = 0.1 });
        using var client = new SiteClient(site);
        var menu = (await client.PageAsync("/discover/playlist/")).GetElementById("cateListBox")!;

        var crawled = new List<(string Category, long Id)>();
        foreach (var link in Links(menu))
        {
            var category = link.GetAttribute("data-cat")!;
            string? next = link.GetAttribute("href");
            while (next is not null)
            {
                var page = await client.PageAsync(next);
                crawled.AddRange(page.QuerySelectorAll("ul#m-pl-container > li a.icon-play")
                    .Select(play => (category, long.Parse(play.GetAttribute("data-res-id")!))));
                var button = page.QuerySelector("#m-pl-pager a.znxt");
                next = button is null || button.ClassList.Contains("js-disabled") ? null : button.GetAttribute("href");
            }
        }

        var expected = site.Catalog.ExpectedRows(site.Catalog.MenuCategories).Select(row => (row.Category, row.Playlist.Id));
        var found = crawled.Distinct().Where(row => !site.Catalog.Playlist(row.Id).Deleted);
        Assert.Equal(expected, found);
    }

    [Fact]
    public void Every_menu_category_has_a_deterministic_catalogue_that_shares_ids()
    {
        var options = new SandboxOptions { PagesPerCategory = 6 };
        var one = new SandboxCatalog(options, new Uri("http://127.0.0.1:5080/"));
        var two = new SandboxCatalog(options, new Uri("http://127.0.0.1:5080/"));
        foreach (var category in one.MenuCategories)
        {
            var pages = one.TotalPages(category);
            Assert.InRange(pages, 1, 6);
            Assert.Equal(one.ListedIds(category), two.ListedIds(category));
            Assert.Equal(pages, (one.ListedIds(category).Count + 34) / 35);
        }
        var owners = one.MenuCategories.SelectMany(category => one.ListedIds(category).Distinct().Select(id => (category, id)))
            .GroupBy(row => row.id).Count(group => group.Count() > 1);
        Assert.True(owners > 20, $"only {owners} ids are shared between categories");
    }

    [Fact]
    public void All_pages_full_gives_every_category_with_items_the_most_pages()
    {
        var catalog = new SandboxCatalog(new SandboxOptions { PagesPerCategory = 7, AllPagesFull = true }, new Uri("http://127.0.0.1:5080/"));
        Assert.All(catalog.MenuCategories.Where(category => category != SandboxCatalog.SinglePageCategory),
            category => Assert.Equal(7, catalog.TotalPages(category)));
        Assert.Equal(1, catalog.TotalPages(SandboxCatalog.SinglePageCategory));
        Assert.Equal(0, catalog.TotalPages(SandboxCatalog.EmptyCategory));
        Assert.Equal(7, catalog.TotalPages("全部"));
    }

    [Fact]
    public void The_whole_site_soak_catalogue_is_computed_in_seconds()
    {
        var clock = Stopwatch.StartNew();
        var catalog = new SandboxCatalog(new SandboxOptions { PagesPerCategory = 38, AllPagesFull = true }, new Uri("http://127.0.0.1:5080/"));
        var rows = catalog.ExpectedRows(catalog.MenuCategories);
        Assert.InRange(rows.Count, 85_000, 95_000);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"ExpectedRows took {clock.ElapsedMilliseconds} ms");
    }

    private static List<IElement> Links(IElement menu) => [.. menu.QuerySelectorAll("dl.f-cb dd a.s-fc1")];
}
