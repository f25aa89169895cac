using System.Globalization;
using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class PlaylistPageTests(DefaultSiteFixture fixture) : IClassFixture<DefaultSiteFixture>
{
    private readonly SandboxSite _site = fixture.Site;

    private IEnumerable<SandboxPlaylist> Listed(string category) =>
        Enumerable.Range(0, _site.Catalog.TotalPages(category))
            .SelectMany(page => _site.Catalog.PageIds(category, page))
            .Distinct()
            .Select(_site.Catalog.Playlist);

    [Fact]
    public async Task Detail_page_shows_every_field_where_the_reference_says()
    {
        using var client = new SiteClient(_site);
        foreach (var playlist in Listed("说唱").Where(p => !p.Deleted).Take(12))
        {
            var page = await client.PageAsync($"/playlist?id={playlist.Id}");
            // document.title collapses whitespace by spec; the element keeps the exact text.
            Assert.Equal($"{playlist.Name} - 歌单 - 网易云音乐", page.QuerySelector("title")!.TextContent);
            Assert.Equal(playlist.Name, page.QuerySelector("h2.f-ff2.f-brk")!.TextContent);
            var cover = page.QuerySelector(".cover img.j-img")!;
            Assert.Equal(playlist.CoverUrl, cover.GetAttribute("data-src"));
            Assert.Equal(playlist.CoverUrl + "?param=200y200", cover.GetAttribute("src"));
            var creator = page.QuerySelector("div.user span.name a.s-fc7")!;
            Assert.Equal(playlist.CreatorNickname, creator.TextContent);
            Assert.Equal($"/user/home?id={playlist.CreatorId}", creator.GetAttribute("href"));
            var china = playlist.CreatedAt.ToOffset(TimeSpan.FromHours(8));
            Assert.Equal(china.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "\u00a0创建", page.QuerySelector("span.time.s-fc4")!.TextContent);
            Assert.Equal(playlist.Id.ToString(), page.QuerySelector("#content-operation")!.GetAttribute("data-rid"));
            Assert.Equal(playlist.SubscribedCount.ToString(), page.QuerySelector("a[data-res-action=fav]")!.GetAttribute("data-count"));
            Assert.Equal(playlist.ShareCount.ToString(), page.QuerySelector("a[data-res-action=share]")!.GetAttribute("data-count"));
            Assert.Equal(playlist.CoverUrl, page.QuerySelector("a[data-res-action=share]")!.GetAttribute("data-res-pic"));
            Assert.Equal(playlist.CommentCount == 0 ? "评论" : playlist.CommentCount.ToString(), page.QuerySelector("#cnt_comment_count")!.TextContent);
            Assert.Equal(playlist.Tags, page.QuerySelectorAll("div.tags a.u-tag i").Select(tag => tag.TextContent));
            Assert.Equal(playlist.TrackCount.ToString(), page.QuerySelector("#playlist-track-count")!.TextContent);
            Assert.Equal(playlist.PlayCount.ToString(), page.QuerySelector("strong#play-count")!.TextContent);

            using var ld = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
            Assert.Equal(playlist.Name, ld.RootElement.GetProperty("title").GetString());
            Assert.Equal(playlist.CoverUrl, ld.RootElement.GetProperty("images")[0].GetString());
            Assert.Equal(china.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), ld.RootElement.GetProperty("pubDate").GetString());
        }
    }

    [Fact]
    public async Task Zero_counts_show_words_and_data_count_zero()
    {
        using var client = new SiteClient(_site);
        var zeroFav = Listed("说唱").Concat(Listed("华语")).First(p => !p.Deleted && p.SubscribedCount == 0);
        var page = await client.PageAsync($"/playlist?id={zeroFav.Id}");
        var fav = page.QuerySelector("a[data-res-action=fav]")!;
        Assert.Equal("0", fav.GetAttribute("data-count"));
        Assert.Equal("收藏", fav.TextContent);

        var zeroComments = Listed("说唱").Concat(Listed("华语")).First(p => !p.Deleted && p.CommentCount == 0);
        page = await client.PageAsync($"/playlist?id={zeroComments.Id}");
        Assert.Equal("评论", page.QuerySelector("#cnt_comment_count")!.TextContent);
    }

    [Fact]
    public async Task Long_descriptions_have_a_truncated_dot_and_the_full_text_in_more()
    {
        using var client = new SiteClient(_site);
        var playlist = Listed("说唱").First(p => !p.Deleted && !p.HasHostileText && p.Description.Length > 100);
        var page = await client.PageAsync($"/playlist?id={playlist.Id}");
        Assert.NotNull(page.QuerySelector("p#album-desc-dot"));
        Assert.Equal(playlist.Description, DescriptionText.Of(page.QuerySelector("p#album-desc-more")!));

        var empty = Listed("说唱").First(p => !p.Deleted && p.Description.Length == 0);
        page = await client.PageAsync($"/playlist?id={empty.Id}");
        Assert.Null(page.QuerySelector("p#album-desc-more"));
        Assert.Null(page.QuerySelector("p#album-desc-dot"));
    }

    [Theory]
    [InlineData("/api/v6/playlist/detail", "playlist")]
    [InlineData("/api/v3/playlist/detail", "playlist")]
    [InlineData("/api/playlist/detail", "result")]
    public async Task Api_returns_the_playlist_with_64_bit_fields(string path, string wrapper)
    {
        using var client = new SiteClient(_site);
        foreach (var playlist in Listed("说唱").Where(p => !p.Deleted).Take(8))
        {
            using var json = JsonDocument.Parse(await client.TextAsync($"{path}?id={playlist.Id}"));
            Assert.Equal(200, json.RootElement.GetProperty("code").GetInt32());
            var body = json.RootElement.GetProperty(wrapper);
            Assert.Equal(playlist.Id, body.GetProperty("id").GetInt64());
            Assert.Equal(playlist.Name, body.GetProperty("name").GetString());
            Assert.Equal(playlist.CoverUrl, body.GetProperty("coverImgUrl").GetString());
            Assert.Equal(playlist.CoverImageId.ToString(), body.GetProperty("coverImgId_str").GetString());
            Assert.Equal(playlist.CreatorId, body.GetProperty("creator").GetProperty("userId").GetInt64());
            Assert.Equal(playlist.CreatorNickname, body.GetProperty("creator").GetProperty("nickname").GetString());
            var description = body.GetProperty("description");
            if (playlist.Description.Length == 0)
                Assert.Equal(JsonValueKind.Null, description.ValueKind);
            else
                Assert.Equal(playlist.Description, description.GetString());
            Assert.Equal(playlist.Tags, body.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));
            Assert.Equal(playlist.TrackCount, body.GetProperty("trackCount").GetInt32());
            Assert.Equal(playlist.PlayCount, body.GetProperty("playCount").GetInt64());
            Assert.Equal(playlist.SubscribedCount, body.GetProperty("subscribedCount").GetInt64());
            Assert.Equal(playlist.ShareCount, body.GetProperty("shareCount").GetInt64());
            Assert.Equal(playlist.CommentCount, body.GetProperty("commentCount").GetInt64());
            Assert.Equal(playlist.CreatedAt.ToUnixTimeMilliseconds(), body.GetProperty("createTime").GetInt64());
        }
    }

    [Fact]
    public async Task Deleted_ids_are_listed_but_their_page_is_not_found()
    {
        using var client = new SiteClient(_site);
        var deleted = Listed("说唱").Concat(Listed("华语")).Where(p => p.Deleted).ToList();
        Assert.NotEmpty(deleted);
        foreach (var playlist in deleted.Take(3))
        {
            var html = await client.TextAsync($"/playlist?id={playlist.Id}");
            Assert.Contains("很抱歉，你要查找的网页找不到", html);
            Assert.DoesNotContain("content-operation", html);
            using var json = JsonDocument.Parse(await client.TextAsync($"/api/v6/playlist/detail?id={playlist.Id}"));
            Assert.Equal(404, json.RootElement.GetProperty("code").GetInt32());
        }
    }

    [Theory]
    [InlineData("1")]
    [InlineData("123456789")]
    [InlineData("abc")]
    [InlineData("")]
    public async Task Unknown_ids_are_not_found(string id)
    {
        using var client = new SiteClient(_site);
        Assert.Contains("很抱歉，你要查找的网页找不到", await client.TextAsync($"/playlist?id={id}"));
        using var json = JsonDocument.Parse(await client.TextAsync($"/api/v6/playlist/detail?id={id}"));
        Assert.Equal(404, json.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Health_answers_ok()
    {
        using var client = new SiteClient(_site);
        Assert.Equal("ok", await client.TextAsync("/_sandbox/health"));
    }
}
