using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class CatalogueApiTests(DefaultSiteFixture fixture) : IClassFixture<DefaultSiteFixture>
{
    private readonly SandboxSite _site = fixture.Site;

    [Fact]
    public async Task Catalogue_lists_the_menu_in_its_order_with_each_categorys_group()
    {
        using var client = new SiteClient(_site);
        var menu = (await client.PageAsync("/discover/playlist/")).GetElementById("cateListBox")!;
        var groupOfLink = menu.QuerySelectorAll("dl.f-cb").SelectMany((group, index) =>
            group.QuerySelectorAll("dd a.s-fc1").Select(link => (Name: link.GetAttribute("data-cat")!, Group: index))).ToList();

        using var answer = JsonDocument.Parse(await client.TextAsync("/api/playlist/catalogue"));
        var root = answer.RootElement;
        Assert.Equal(200, root.GetProperty("code").GetInt32());
        var sub = root.GetProperty("sub").EnumerateArray().ToList();
        Assert.Equal(groupOfLink, sub.Select(item => (item.GetProperty("name").GetString()!, item.GetProperty("category").GetInt32())));
        Assert.Equal(_site.Catalog.MenuCategories, sub.Select(item => item.GetProperty("name").GetString()!));
        Assert.All(sub, item =>
        {
            Assert.Equal(_site.Catalog.ListedIds(item.GetProperty("name").GetString()!).Count, item.GetProperty("resourceCount").GetInt32());
            Assert.Equal(0, item.GetProperty("type").GetInt32());
            Assert.False(item.GetProperty("activity").GetBoolean());
        });
        Assert.Contains(sub, item => item.GetProperty("hot").GetBoolean());
        Assert.Contains(sub, item => !item.GetProperty("hot").GetBoolean());

        var all = root.GetProperty("all");
        Assert.Equal(("全部", 4, _site.Catalog.ListedIds("全部").Count),
            (all.GetProperty("name").GetString(), all.GetProperty("category").GetInt32(), all.GetProperty("resourceCount").GetInt32()));
        Assert.Equal(["0:语种", "1:风格", "2:场景", "3:情感", "4:主题"],
            root.GetProperty("categories").EnumerateObject().Select(group => $"{group.Name}:{group.Value.GetString()}"));
    }

    [Fact]
    public async Task Catalogue_follows_the_menu_categories_option()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { MenuCategories = 8 });
        using var client = new SiteClient(site);
        using var answer = JsonDocument.Parse(await client.TextAsync("/api/playlist/catalogue"));
        var sub = answer.RootElement.GetProperty("sub").EnumerateArray().ToList();
        Assert.Equal(site.Catalog.MenuCategories, sub.Select(item => item.GetProperty("name").GetString()!));
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1], sub.Select(item => item.GetProperty("category").GetInt32()));
    }
}
