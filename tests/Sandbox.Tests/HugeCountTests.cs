using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class HugeCountTests
{
    [Fact]
    public async Task Huge_count_ids_show_play_counts_that_overflow_64_bits()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { DeletedRate = 0 });
        var ids = site.Catalog.PageIds("说唱", 0);
        site.Options.HugeCountIds = $"{ids[1]}";
        using var client = new SiteClient(site);

        var detail = await client.PageAsync($"/playlist?id={ids[1]}");
        Assert.Equal("9999999999999999999999", detail.QuerySelector("strong#play-count")!.TextContent);
        Assert.False(long.TryParse(detail.QuerySelector("strong#play-count")!.TextContent, out _));

        var list = await client.ListPageAsync("说唱", 0);
        var counts = list.QuerySelectorAll("ul#m-pl-container > li span.nb").Select(count => count.TextContent).ToList();
        Assert.Equal("9999999999999亿", counts[1]);
        Assert.DoesNotContain("亿", counts[2]);

        var api = await client.TextAsync($"/api/v6/playlist/detail?id={ids[1]}");
        Assert.Contains("\"playCount\":99999999999999999999999,", api);
        using var json = JsonDocument.Parse(api);
        Assert.False(json.RootElement.GetProperty("playlist").GetProperty("playCount").TryGetInt64(out _));

        // The catalog keeps the real count; the site only shows the huge one, and only while the id is listed.
        site.Options.HugeCountIds = "";
        var again = await client.PageAsync($"/playlist?id={ids[1]}");
        Assert.Equal(site.Catalog.Playlist(ids[1]).PlayCount.ToString(), again.QuerySelector("strong#play-count")!.TextContent);
    }
}
