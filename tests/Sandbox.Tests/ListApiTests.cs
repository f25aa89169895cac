using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Tests;

/// <summary>One site with a high deleted rate, so list answers leave some items out.</summary>
public sealed class ListApiSiteFixture : IAsyncLifetime
{
    public SandboxSite Site { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 5, PagesPerCategory = 4, DeletedRate = 0.25, Day = 1 });

    public async Task DisposeAsync() => await Site.DisposeAsync();
}

public sealed class ListApiTests(ListApiSiteFixture fixture) : IClassFixture<ListApiSiteFixture>
{
    private readonly SandboxSite _site = fixture.Site;

    private static string ListApiPath(string category, int limit, long offset) =>
        $"/api/playlist/list?cat={Uri.EscapeDataString(category)}&order=hot&limit={limit}&offset={offset}&total=true";

    private static async Task<JsonDocument> JsonAsync(SiteClient client, string path) => JsonDocument.Parse(await client.TextAsync(path));

    private static List<long> ItemIds(JsonDocument answer) =>
        [.. answer.RootElement.GetProperty("playlists").EnumerateArray().Select(item => item.GetProperty("id").GetInt64())];

    private static async Task<List<long>> HtmlPageIds(SiteClient client, string category, int limit, long offset)
    {
        var page = await client.PageAsync($"/discover/playlist/?order=hot&cat={Uri.EscapeDataString(category)}&limit={limit}&offset={offset}");
        return [.. page.QuerySelectorAll("ul#m-pl-container > li a.msk").Select(link => long.Parse(link.GetAttribute("href")!["/playlist?id=".Length..]))];
    }

    [Theory]
    [InlineData("说唱", 35)]
    [InlineData("全部", 35)]
    [InlineData("R&B/Soul", 35)]
    [InlineData("说唱", 100)]
    [InlineData("华语", 100)]
    public async Task List_answers_hold_the_html_pages_ids_without_the_deleted_ones(string category, int limit)
    {
        using var client = new SiteClient(_site);
        var listed = _site.Catalog.ListedIds(category);
        var leftOut = 0;
        for (long offset = 0; offset < listed.Count; offset += limit)
        {
            var html = await HtmlPageIds(client, category, limit, offset);
            Assert.Equal(listed.Skip((int)offset).Take(limit), html);
            using var answer = await JsonAsync(client, ListApiPath(category, limit, offset));
            var expected = html.Where(id => !_site.Catalog.Playlist(id).Deleted).ToList();
            Assert.Equal(expected, ItemIds(answer));
            leftOut += html.Count - expected.Count;
        }
        Assert.True(leftOut > 0, "some deleted playlist should have been left out");
    }

    [Fact]
    public async Task With_limit_35_the_answers_are_the_html_pages_with_the_repeated_first_item()
    {
        using var client = new SiteClient(_site);
        var catalog = _site.Catalog;
        var first = catalog.PageIds("说唱", 0);
        var second = catalog.PageIds("说唱", 1);
        Assert.Equal(first[^1], second[0]);
        using var answer = await JsonAsync(client, ListApiPath("说唱", 35, 35));
        Assert.Equal(second.Where(id => !catalog.Playlist(id).Deleted), ItemIds(answer));
    }

    [Fact]
    public async Task Total_counts_the_listed_ids_and_more_says_whether_items_follow()
    {
        using var client = new SiteClient(_site);
        var count = _site.Catalog.ListedIds("说唱").Count;
        Assert.Equal(4 * 35 - 35 + _site.Catalog.PageIds("说唱", 3).Count, count);

        using var first = await JsonAsync(client, ListApiPath("说唱", 35, 0));
        Assert.Equal(200, first.RootElement.GetProperty("code").GetInt32());
        Assert.Equal(count, first.RootElement.GetProperty("total").GetInt64());
        Assert.True(first.RootElement.GetProperty("more").GetBoolean());
        Assert.Equal("说唱", first.RootElement.GetProperty("cat").GetString());

        using var last = await JsonAsync(client, ListApiPath("说唱", 35, 105));
        Assert.False(last.RootElement.GetProperty("more").GetBoolean());
        using var exact = await JsonAsync(client, ListApiPath("说唱", 10, count - 10));
        Assert.False(exact.RootElement.GetProperty("more").GetBoolean());
        using var oneShort = await JsonAsync(client, ListApiPath("说唱", 10, count - 11));
        Assert.True(oneShort.RootElement.GetProperty("more").GetBoolean());

        using var past = await JsonAsync(client, ListApiPath("说唱", 35, long.MaxValue));
        Assert.Empty(ItemIds(past));
        Assert.False(past.RootElement.GetProperty("more").GetBoolean());
        Assert.Equal(count, past.RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Limit_is_clamped_offset_is_at_least_zero_and_no_category_means_all()
    {
        using var client = new SiteClient(_site);
        var catalog = _site.Catalog;
        using var huge = await JsonAsync(client, ListApiPath("说唱", 1000, 0));
        Assert.Equal(catalog.ListedIds("说唱").Take(100).Where(id => !catalog.Playlist(id).Deleted), ItemIds(huge));
        using var zero = await JsonAsync(client, ListApiPath("说唱", 0, -5));
        Assert.Equal(catalog.ListedIds("说唱").Take(1).Where(id => !catalog.Playlist(id).Deleted), ItemIds(zero));
        using var plain = await JsonAsync(client, "/api/playlist/list");
        Assert.Equal("全部", plain.RootElement.GetProperty("cat").GetString());
        Assert.Equal(catalog.PageIds("全部", 0).Where(id => !catalog.Playlist(id).Deleted), ItemIds(plain));
    }

    [Theory]
    [InlineData("空")]
    [InlineData("没有这个分类")]
    public async Task Empty_and_unknown_categories_answer_an_empty_list(string category)
    {
        using var client = new SiteClient(_site);
        using var answer = await JsonAsync(client, ListApiPath(category, 35, 0));
        Assert.Equal(200, answer.RootElement.GetProperty("code").GetInt32());
        Assert.Empty(ItemIds(answer));
        Assert.Equal(0, answer.RootElement.GetProperty("total").GetInt64());
        Assert.False(answer.RootElement.GetProperty("more").GetBoolean());
        Assert.Equal(category, answer.RootElement.GetProperty("cat").GetString());
    }

    [Fact]
    public async Task Each_item_is_the_detail_api_playlist_plus_the_list_fields()
    {
        using var client = new SiteClient(_site);
        using var answer = await JsonAsync(client, ListApiPath("说唱", 35, 0));
        var items = answer.RootElement.GetProperty("playlists").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        foreach (var item in items.Take(12))
        {
            var id = item.GetProperty("id").GetInt64();
            var playlist = _site.Catalog.Playlist(id);
            using var detail = await JsonAsync(client, $"/api/v6/playlist/detail?id={id}");
            // The detail's track list (tracks, trackIds) is the one thing a list item does not carry.
            var fields = detail.RootElement.GetProperty("playlist").EnumerateObject().Where(field => field.Name is not ("tracks" or "trackIds")).ToList();
            foreach (var field in fields)
                Assert.Equal(field.Value.GetRawText(), item.GetProperty(field.Name).GetRawText());
            var extra = item.EnumerateObject().Select(field => field.Name).Except(fields.Select(field => field.Name));
            Assert.Equal(["status", "subscribers", "tracks"], extra);
            Assert.False(item.TryGetProperty("trackIds", out _));
            Assert.Equal(playlist.TracksUpdatedAt.ToUnixTimeMilliseconds(), item.GetProperty("trackUpdateTime").GetInt64());
            Assert.Equal(playlist.TracksUpdatedAt.ToUnixTimeMilliseconds(), item.GetProperty("trackNumberUpdateTime").GetInt64());
            Assert.Equal(0, item.GetProperty("status").GetInt32());
            Assert.Equal(0, item.GetProperty("subscribers").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, item.GetProperty("tracks").ValueKind);
            Assert.Equal(playlist.CoverUrl, item.GetProperty("coverImgUrl").GetString());
        }
    }
}

public sealed class ListApiFaultTests
{
    [Fact]
    public async Task List_answers_are_counted_blocked_and_failed_like_every_site_request()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BlockAfterRequests = 2, BlockForSeconds = 30, BlockShape = "460" });
        using var client = new SiteClient(site);
        await client.TextAsync("/api/playlist/list?cat=%E8%AF%B4%E5%94%B1&limit=35&offset=0");
        await client.TextAsync("/api/playlist/catalogue");
        foreach (var path in new[] { "/api/playlist/list?cat=%E8%AF%B4%E5%94%B1&limit=35&offset=35", "/api/playlist/catalogue" })
        {
            using var blocked = await client.GetAsync(path);
            Assert.Equal(200, (int)blocked.StatusCode);
            Assert.Equal("""{"code":-460,"msg":"Cheating"}""", await blocked.Content.ReadAsStringAsync());
        }

        using var stats = JsonDocument.Parse(await client.TextAsync("/_sandbox/stats"));
        Assert.Equal(2, stats.RootElement.GetProperty("byPath").GetProperty("listApi").GetInt64());
        Assert.Equal(2, stats.RootElement.GetProperty("byPath").GetProperty("catalogue").GetInt64());
        Assert.Equal(2, stats.RootElement.GetProperty("byOutcome").GetProperty("blocked").GetInt64());
        Assert.Equal(["listApi", "catalogue", "listApi", "catalogue"], (await site.Log.EntriesAsync(4)).Select(entry => entry.Kind));
    }

    [Fact]
    public async Task Error_rate_applies_to_list_answers()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { ErrorRate = 1 });
        using var client = new SiteClient(site);
        using var response = await client.GetAsync("/api/playlist/list?cat=%E8%AF%B4%E5%94%B1");
        Assert.Contains((int)response.StatusCode, new[] { 500, 502 });
        Assert.Equal("error", (await site.Log.EntriesAsync(1)).Single().Outcome);
    }

    [Fact]
    public async Task Huge_count_ids_show_their_huge_play_count_in_list_items()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { DeletedRate = 0 });
        var ids = site.Catalog.PageIds("说唱", 0);
        site.Options.HugeCountIds = $"{ids[1]}";
        using var client = new SiteClient(site);
        var text = await client.TextAsync("/api/playlist/list?cat=%E8%AF%B4%E5%94%B1&limit=35&offset=0");
        Assert.Contains($"\"playCount\":99999999999999999999999,", text);
        using var answer = JsonDocument.Parse(text);
        var items = answer.RootElement.GetProperty("playlists").EnumerateArray().ToList();
        Assert.False(items[1].GetProperty("playCount").TryGetInt64(out _));
        Assert.Equal(site.Catalog.Playlist(ids[2]).PlayCount, items[2].GetProperty("playCount").GetInt64());
    }
}
