using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class HostileListTests
{
    private const string Rap = "/api/playlist/list?cat=%E8%AF%B4%E5%94%B1&order=hot&limit=35&offset=0&total=true";
    private const string Chinese = "/api/playlist/list?cat=%E5%8D%8E%E8%AF%AD&order=hot&limit=35&offset=0&total=true";

    [Fact]
    public async Task Not_a_list_categories_answer_the_html_list_page_with_http_200()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { NotAListCategories = "说唱, R&B/Soul" });
        using var client = new SiteClient(site);
        using var response = await client.GetAsync(Rap);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var page = await client.PageAsync(Rap);
        Assert.Equal(site.Catalog.PageIds("说唱", 0).Select(id => id.ToString()),
            page.QuerySelectorAll("ul#m-pl-container > li a.icon-play").Select(play => play.GetAttribute("data-res-id")));
        Assert.Equal("ok", (await site.Log.EntriesAsync(1))[0].Outcome);

        using var json = JsonDocument.Parse(await client.TextAsync(Chinese));
        Assert.Equal(200, json.RootElement.GetProperty("code").GetInt32());

        site.Options.NotAListCategories = "";
        using var again = JsonDocument.Parse(await client.TextAsync(Rap));
        Assert.Equal("说唱", again.RootElement.GetProperty("cat").GetString());
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(9_000_000_000_000L)]
    public async Task List_total_overrides_the_total_and_nothing_else(long total)
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { ListTotal = total, DeletedRate = 0 });
        using var client = new SiteClient(site);
        using var first = JsonDocument.Parse(await client.TextAsync(Rap));
        Assert.Equal(total, first.RootElement.GetProperty("total").GetInt64());
        Assert.True(first.RootElement.GetProperty("more").GetBoolean());
        Assert.Equal(35, first.RootElement.GetProperty("playlists").GetArrayLength());
        using var last = JsonDocument.Parse(await client.TextAsync(Rap.Replace("offset=0", "offset=70")));
        Assert.False(last.RootElement.GetProperty("more").GetBoolean());

        site.Options.ListTotal = 0;
        using var honest = JsonDocument.Parse(await client.TextAsync(Rap));
        Assert.Equal(site.Catalog.ListedIds("说唱").Count, honest.RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task List_more_always_says_more_also_past_the_end()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { ListMoreAlways = true });
        using var client = new SiteClient(site);
        using var past = JsonDocument.Parse(await client.TextAsync(Rap.Replace("offset=0", "offset=100000")));
        Assert.True(past.RootElement.GetProperty("more").GetBoolean());
        Assert.Equal(0, past.RootElement.GetProperty("playlists").GetArrayLength());
        Assert.Equal(site.Catalog.ListedIds("说唱").Count, past.RootElement.GetProperty("total").GetInt64());
        using var empty = JsonDocument.Parse(await client.TextAsync("/api/playlist/list?cat=%E7%A9%BA"));
        Assert.True(empty.RootElement.GetProperty("more").GetBoolean());
    }
}
