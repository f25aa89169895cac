using SixLabors.ImageSharp;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class CoverTests(DefaultSiteFixture fixture) : IClassFixture<DefaultSiteFixture>
{
    private readonly SandboxSite _site = fixture.Site;

    private SandboxPlaylist OnFirstPage(int slot) => _site.Catalog.Playlist(_site.Catalog.PageIds("说唱", 0)[slot]);

    [Fact]
    public async Task Full_size_cover_is_a_real_jpeg_with_the_catalog_bytes()
    {
        using var client = new SiteClient(_site);
        var playlist = OnFirstPage(0);
        Assert.Equal(CoverKind.Ok, playlist.Kind);

        using var response = await client.GetAsync(playlist.CoverUrl);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal([0xFF, 0xD8], bytes[..2]);
        Assert.Equal([0xFF, 0xD9], bytes[^2..]);
        Assert.Equal(_site.Catalog.CoverBytes(playlist.Id), bytes);

        var info = Image.Identify(bytes);
        Assert.Equal(info.Width, info.Height);
        Assert.InRange(info.Width, 300, 600);
    }

    [Fact]
    public async Task Thumbnail_is_a_different_smaller_jpeg()
    {
        using var client = new SiteClient(_site);
        var playlist = OnFirstPage(1);
        var full = await client.BytesAsync(playlist.CoverUrl);
        var thumbnail = await client.BytesAsync(playlist.CoverUrl + "?param=140y140");

        Assert.NotEqual(full, thumbnail);
        Assert.True(thumbnail.Length < full.Length);
        Assert.Equal([0xFF, 0xD8], thumbnail[..2]);
        var info = Image.Identify(thumbnail);
        Assert.Equal((140, 140), (info.Width, info.Height));
        Assert.Equal(_site.Catalog.ThumbnailBytes(playlist.Id, 140, 140), thumbnail);
    }

    [Fact]
    public async Task Every_cover_differs()
    {
        using var client = new SiteClient(_site);
        var covers = new List<byte[]>();
        foreach (var id in _site.Catalog.PageIds("说唱", 0).Take(5))
            covers.Add(await client.BytesAsync(_site.Catalog.Playlist(id).CoverUrl));
        Assert.Equal(covers.Count, covers.Select(Convert.ToBase64String).Distinct().Count());
    }

    [Fact]
    public void Cover_urls_are_shaped_like_the_cdn()
    {
        var playlist = OnFirstPage(0);
        Assert.Matches($"^{_site.BaseUrl.GetLeftPart(UriPartial.Authority)}/[A-Za-z0-9_-]{{22}}==/[0-9]{{17,18}}\\.jpg$", playlist.CoverUrl);
        Assert.True(playlist.CoverImageId > 1L << 53);
    }

    [Fact]
    public async Task Each_category_has_a_foreign_host_cover_the_site_never_serves()
    {
        using var client = new SiteClient(_site);
        foreach (var category in new[] { "说唱", "华语", "R&B/Soul" })
        {
            var foreign = _site.Catalog.Playlist(_site.Catalog.PageIds(category, 0)[5]);
            Assert.Equal(CoverKind.ForeignHost, foreign.Kind);
            Assert.False(foreign.Deleted);
            Assert.StartsWith("http://p1.not-allowed.invalid/", foreign.CoverUrl);
            Assert.Throws<InvalidOperationException>(() => _site.Catalog.CoverBytes(foreign.Id));

            // The same path on the Sandbox's own host is not found either.
            using var response = await client.GetAsync(new Uri(foreign.CoverUrl).PathAndQuery);
            Assert.Equal(404, (int)response.StatusCode);
        }
    }

    [Fact]
    public async Task Each_category_has_a_cover_that_is_html_labelled_as_jpeg()
    {
        using var client = new SiteClient(_site);
        foreach (var category in new[] { "说唱", "华语", "R&B/Soul" })
        {
            var notImage = _site.Catalog.Playlist(_site.Catalog.PageIds(category, 0)[6]);
            Assert.Equal(CoverKind.NotAnImage, notImage.Kind);
            Assert.StartsWith(_site.BaseUrl.GetLeftPart(UriPartial.Authority), notImage.CoverUrl);

            using var response = await client.GetAsync(notImage.CoverUrl);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal((byte)'<', bytes[0]);
            Assert.Equal(_site.Catalog.CoverBytes(notImage.Id), bytes);
        }
    }

    [Fact]
    public async Task A_tampered_cover_token_is_not_found()
    {
        using var client = new SiteClient(_site);
        var url = OnFirstPage(0).CoverUrl;
        var path = new Uri(url).AbsolutePath;
        var tampered = path[..1] + (path[1] == 'A' ? 'B' : 'A') + path[2..];
        using var response = await client.GetAsync(tampered);
        Assert.Equal(404, (int)response.StatusCode);
    }
}
