using System.Net;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class CharsetTests
{
    private static readonly Encoding Gbk = GbkEncoding();

    [Theory]
    [InlineData("utf8", "text/html;charset=utf8")]
    [InlineData("UTF8", "text/html;charset=UTF8")]
    [InlineData("\"utf-8\"", "text/html;charset=\"utf-8\"")]
    [InlineData("gbk", "text/html;charset=gbk")]
    [InlineData("", "text/html")]
    public async Task Html_pages_carry_the_charset_label_verbatim(string label, string contentType)
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { CharsetLabel = label });
        using var client = new SiteClient(site);
        var id = site.Catalog.PageIds("说唱", 0)[1];
        foreach (var path in new[] { SiteClient.ListPath("说唱", 0), $"/playlist?id={id}", "/playlist?id=1", "/no/such/page" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(contentType, RawContentType(response));
        }
        using var api = await client.GetAsync($"/api/v6/playlist/detail?id={id}");
        Assert.Equal("application/json;charset=UTF-8", RawContentType(api));
    }

    [Fact]
    public async Task The_sites_utf8_label_defeats_ReadAsStringAsync_but_the_bytes_are_utf8()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { CharsetLabel = "utf8" });
        using var client = new SiteClient(site);
        using var response = await client.GetAsync(SiteClient.ListPath("说唱", 0));
        await Assert.ThrowsAsync<InvalidOperationException>(() => response.Content.ReadAsStringAsync());
        Assert.Contains("<meta charset=\"utf-8\" />", Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Api_charset_label_is_separate()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { ApiCharsetLabel = "utf8", CharsetLabel = "" });
        using var client = new SiteClient(site);
        using var api = await client.GetAsync($"/api/v6/playlist/detail?id={site.Catalog.PageIds("说唱", 0)[1]}");
        Assert.Equal("application/json;charset=utf8", RawContentType(api));
    }

    [Theory]
    [InlineData("", "text/html")]
    [InlineData("gbk", "text/html;charset=gbk")]
    public async Task Gbk_pages_are_gbk_bytes_and_say_so_in_meta(string label, string contentType)
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { PageEncoding = "gbk", CharsetLabel = label, PagesPerCategory = 5 });
        using var client = new SiteClient(site);
        using var response = await client.GetAsync(SiteClient.ListPath("说唱", 0));
        Assert.Equal(contentType, RawContentType(response));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        var html = Gbk.GetString(bytes);
        Assert.Contains("<meta charset=\"gbk\" />", html);
        var names = new HtmlParser().ParseDocument(html).QuerySelectorAll("p.dec a.tit").Select(link => link.TextContent);
        Assert.Equal(site.Catalog.PageIds("说唱", 0).Select(id => site.Catalog.Playlist(id).Name), names);
    }

    [Fact]
    public async Task Gbk_detail_pages_keep_hostile_text_and_emoji_exact()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { PageEncoding = "gbk", CharsetLabel = "gbk", PagesPerCategory = 5, DeletedRate = 0 });
        using var client = new SiteClient(site);
        var hostile = Enumerable.Range(0, 5)
            .SelectMany(page => new[] { 8, 20 }.Select(slot => site.Catalog.PageIds("说唱", page)[slot]))
            .Select(site.Catalog.Playlist).ToList();
        Assert.Contains(hostile, playlist => playlist.Name.Contains("🎧", StringComparison.Ordinal));
        foreach (var playlist in hostile)
        {
            using var response = await client.GetAsync($"/playlist?id={playlist.Id}");
            var page = new HtmlParser().ParseDocument(Gbk.GetString(await response.Content.ReadAsByteArrayAsync()));
            Assert.Equal(playlist.Name, page.QuerySelector("h2.f-ff2.f-brk")!.TextContent);
            Assert.Equal(playlist.Name, page.QuerySelector("a[data-res-action=share]")!.GetAttribute("data-res-name"));
            Assert.Equal(playlist.CreatorNickname, page.QuerySelector("div.user span.name a.s-fc7")!.TextContent);
            if (playlist.Description.Length > 0)
                Assert.Equal(playlist.Description, DescriptionText.Of(page.QuerySelector("p#album-desc-more")!));
            using var ld = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
            Assert.Equal(playlist.Name, ld.RootElement.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task Not_found_page_follows_the_page_encoding()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { PageEncoding = "gbk", CharsetLabel = "" });
        using var client = new SiteClient(site);
        using var response = await client.GetAsync("/playlist?id=1");
        var html = Gbk.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("很抱歉，你要查找的网页找不到", html);
        Assert.Contains("<meta charset=\"gbk\" />", html);
    }

    private static Encoding GbkEncoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("gbk");
    }

    /// <summary>The header as sent: HttpClient's parsed value would normalise it.</summary>
    private static string RawContentType(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : "";
}
