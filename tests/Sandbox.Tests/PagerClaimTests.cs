using System.Globalization;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class PagerClaimTests
{
    [Fact]
    public async Task The_pager_claims_int_max_pages_while_items_stop_at_the_real_last_page()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { PagerLastPage = int.MaxValue });
        using var client = new SiteClient(site);

        var first = await client.ListPageAsync("说唱", 0);
        var last = first.QuerySelectorAll("#m-pl-pager a.zpgi").Last();
        Assert.Equal("2147483647", last.TextContent);
        var lastOffset = (long)(int.MaxValue - 1) * 35;
        Assert.Equal($"/discover/playlist/?order=hot&cat=%E8%AF%B4%E5%94%B1&limit=35&offset={lastOffset.ToString(CultureInfo.InvariantCulture)}", last.GetAttribute("href"));

        var claimed = await client.PageAsync(last.GetAttribute("href")!);
        Assert.Empty(claimed.QuerySelectorAll("ul#m-pl-container > li"));
        Assert.Null(claimed.QuerySelector("#m-pl-pager"));

        // The real last page still has its items, and its next button leads to an empty page.
        var realLast = site.Catalog.TotalPages("说唱") - 1;
        var lastReal = await client.ListPageAsync("说唱", realLast);
        Assert.Equal(site.Catalog.PageIds("说唱", realLast).Count, lastReal.QuerySelectorAll("ul#m-pl-container > li").Length);
        var next = lastReal.QuerySelector("#m-pl-pager a.znxt")!;
        Assert.DoesNotContain("js-disabled", next.ClassName);
        var past = await client.PageAsync(next.GetAttribute("href")!);
        Assert.Empty(past.QuerySelectorAll("ul#m-pl-container > li"));
    }

    [Fact]
    public async Task A_single_page_category_gets_the_claimed_pager_too()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { PagerLastPage = 40 });
        using var client = new SiteClient(site);
        var page = await client.ListPageAsync(SandboxCatalog.SinglePageCategory, 0);
        Assert.Equal("40", page.QuerySelectorAll("#m-pl-pager a.zpgi").Last().TextContent);
        var empty = await client.ListPageAsync(SandboxCatalog.EmptyCategory, 0);
        Assert.Null(empty.QuerySelector("#m-pl-pager"));
    }
}
