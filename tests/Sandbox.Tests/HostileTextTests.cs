using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class HostileTextTests(DefaultSiteFixture fixture) : IClassFixture<DefaultSiteFixture>
{
    private readonly SandboxSite _site = fixture.Site;

    private List<SandboxPlaylist> Hostile() =>
        [.. new[] { "说唱", "华语", "R&B/Soul", "全部", "欧美" }
            .SelectMany(category => Enumerable.Range(0, _site.Catalog.TotalPages(category)).SelectMany(page => _site.Catalog.PageIds(category, page)))
            .Distinct()
            .Select(_site.Catalog.Playlist)
            .Where(playlist => playlist.HasHostileText && !playlist.Deleted)];

    [Theory]
    [InlineData("说唱")]
    [InlineData("R&B/Soul")]
    [InlineData("后摇")]
    public void First_page_of_every_category_holds_every_hostile_case(string category)
    {
        var firstPage = _site.Catalog.PageIds(category, 0);
        var hostile = new[] { 8, 20 }.Select(slot => _site.Catalog.Playlist(firstPage[slot])).ToList();
        Assert.All(hostile, playlist => Assert.True(playlist.HasHostileText));
        var all = string.Join("\n", hostile.SelectMany(p => new[] { p.Name, p.CreatorNickname, p.Description }));
        foreach (var needle in new[] { "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(1)", "\"", ",", "\t", "\n", "&amp;", "🎧" })
            Assert.Contains(needle, all);
        // Cells the CSV export must guard against formula injection.
        Assert.Contains(hostile, p => p.Name.StartsWith('='));
        Assert.Contains(hostile, p => p.CreatorNickname.StartsWith('='));
        Assert.Contains(hostile, p => p.Description.StartsWith('-'));
        Assert.Contains(hostile, p => p.Description.Length > 100);
    }

    [Fact]
    public async Task Hostile_text_round_trips_through_html_decoding_of_the_raw_markup()
    {
        using var client = new SiteClient(_site);
        foreach (var playlist in Hostile())
        {
            var html = await client.TextAsync($"/playlist?id={playlist.Id}");
            Assert.DoesNotContain("<script>alert", html);

            var title = Regex.Match(html, "<h2 class=\"f-ff2 f-brk\">(.*?)</h2>", RegexOptions.Singleline).Groups[1].Value;
            Assert.Equal(playlist.Name, WebUtility.HtmlDecode(title));
            var shareName = Regex.Match(html, "data-res-name=\"([^\"]*)\"").Groups[1].Value;
            Assert.Equal(playlist.Name, WebUtility.HtmlDecode(shareName));
            var nickname = Regex.Match(html, "<span class=\"name\"><a href=\"[^\"]*\" class=\"s-fc7\">(.*?)</a>", RegexOptions.Singleline).Groups[1].Value;
            Assert.Equal(playlist.CreatorNickname, WebUtility.HtmlDecode(nickname));
            var more = Regex.Match(html, "<p id=\"album-desc-more\"[^>]*><b>介绍：</b> (.*?)</p>", RegexOptions.Singleline).Groups[1].Value;
            Assert.Equal(playlist.Description, WebUtility.HtmlDecode(more.Replace("<br />", "\n")));
        }
    }

    [Fact]
    public async Task Hostile_text_round_trips_through_a_dom_parser_and_json()
    {
        using var client = new SiteClient(_site);
        foreach (var playlist in Hostile())
        {
            var page = await client.PageAsync($"/playlist?id={playlist.Id}");
            Assert.Equal(playlist.Name, page.QuerySelector("h2.f-ff2")!.TextContent);
            Assert.Equal(playlist.CreatorNickname, page.QuerySelector("div.user span.name a")!.TextContent);
            Assert.Equal(playlist.Description, DescriptionText.Of(page.QuerySelector("p#album-desc-more")!));
            Assert.Empty(page.QuerySelectorAll("body script"));

            using var ld = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
            Assert.Equal(playlist.Name, ld.RootElement.GetProperty("title").GetString());

            using var api = JsonDocument.Parse(await client.TextAsync($"/api/v6/playlist/detail?id={playlist.Id}"));
            var body = api.RootElement.GetProperty("playlist");
            Assert.Equal(playlist.Name, body.GetProperty("name").GetString());
            Assert.Equal(playlist.Description, body.GetProperty("description").GetString());
            Assert.Equal(playlist.CreatorNickname, body.GetProperty("creator").GetProperty("nickname").GetString());
        }
    }

    [Fact]
    public async Task Hostile_names_round_trip_on_list_pages()
    {
        using var client = new SiteClient(_site);
        var html = await client.TextAsync(SiteClient.ListPath("说唱", 0));
        var hostile = _site.Catalog.Playlist(_site.Catalog.PageIds("说唱", 0)[8]);
        Assert.True(hostile.HasHostileText);
        var titles = Regex.Matches(html, $"<a title=\"([^\"]*)\" href=\"/playlist\\?id={hostile.Id}\" class=\"tit")
            .Select(match => WebUtility.HtmlDecode(match.Groups[1].Value));
        Assert.Equal([hostile.Name], titles);
    }
}
