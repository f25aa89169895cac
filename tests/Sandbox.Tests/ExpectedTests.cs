using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class ExpectedTests
{
    [Fact]
    public async Task Expected_lists_the_rows_and_counts_a_perfect_crawl_outputs()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { PagesPerCategory = 4, AllPagesFull = true, MenuCategories = 3 });
        using var client = new SiteClient(site);
        var catalog = site.Catalog;

        using var menu = JsonDocument.Parse(await client.TextAsync("/_sandbox/expected"));
        var categories = menu.RootElement.GetProperty("categories").EnumerateArray().ToList();
        Assert.Equal(catalog.MenuCategories, categories.Select(c => c.GetProperty("category").GetString()!));
        var expected = catalog.ExpectedRows(catalog.MenuCategories);
        Assert.Equal(expected.Count, menu.RootElement.GetProperty("rows").GetInt64());
        foreach (var c in categories)
        {
            var name = c.GetProperty("category").GetString()!;
            Assert.Equal(expected.Where(e => e.Category == name).Select(e => e.Playlist.Id), c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()));
            Assert.Equal(catalog.TotalPages(name), c.GetProperty("pages").GetInt32());
        }
        var deleted = catalog.MenuCategories.Sum(c => Enumerable.Range(0, catalog.TotalPages(c)).SelectMany(p => catalog.PageIds(c, p)).Distinct().Count(id => catalog.Playlist(id).Deleted));
        Assert.Equal(deleted, menu.RootElement.GetProperty("deletedPairs").GetInt64());
        Assert.Equal(expected.Count + deleted, menu.RootElement.GetProperty("discovered").GetInt64());
        Assert.Equal(expected.Select(e => e.Playlist).Where(p => p.Kind == CoverKind.Ok).DistinctBy(p => p.Id).Count(),
            menu.RootElement.GetProperty("coversStored").GetInt32());

        using var two = JsonDocument.Parse(await client.TextAsync("/_sandbox/expected?categories=" + Uri.EscapeDataString("说唱, 华语") + "&maxPages=2"));
        Assert.Equal(catalog.ExpectedRows(["说唱", "华语"], 2).Count, two.RootElement.GetProperty("rows").GetInt64());
        Assert.Equal(4, two.RootElement.GetProperty("pages").GetInt64());
        Assert.Equal(0, site.Log.Requests); // /_sandbox/* is never counted as site traffic
    }
}
