using System.Net;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class CoverRedirectTests
{
    [Fact]
    public async Task A_redirect_cover_answers_302_to_the_metadata_address_by_default()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions());
        var playlist = site.Catalog.Playlist(site.Catalog.PageIds("说唱", 0)[1]);
        site.Options.RedirectCoverIds = $"{playlist.Id}";
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await http.GetAsync(playlist.CoverUrl);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(new Uri("http://169.254.169.254/latest/meta-data/"), response.Headers.Location);

        // Thumbnails are not redirected; neither are other ids.
        using var thumbnail = await http.GetAsync(playlist.CoverUrl + "?param=140y140");
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        using var other = await http.GetAsync(site.Catalog.Playlist(site.Catalog.PageIds("说唱", 0)[2]).CoverUrl);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_self_redirect_points_at_the_same_image_on_the_sandbox()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { CoverRedirectTo = "self" });
        var playlist = site.Catalog.Playlist(site.Catalog.PageIds("说唱", 0)[1]);
        site.Options.RedirectCoverIds = $"{playlist.Id}";
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await http.GetAsync(playlist.CoverUrl);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.True(location.IsAbsoluteUri);
        Assert.Equal(site.BaseUrl.Authority, location.Authority);
        Assert.NotEqual(new Uri(playlist.CoverUrl).AbsolutePath, location.AbsolutePath);

        var moved = await http.GetByteArrayAsync(location);
        Assert.Equal(site.Catalog.CoverBytes(playlist.Id), moved);
        Assert.Equal("cover", site.Log.Entries()[^1].Kind);
    }

    [Fact]
    public async Task A_custom_redirect_target_is_sent_verbatim()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { CoverRedirectTo = "file:///etc/passwd" });
        var playlist = site.Catalog.Playlist(site.Catalog.PageIds("说唱", 0)[1]);
        site.Options.RedirectCoverIds = $"{playlist.Id}";
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await http.GetAsync(playlist.CoverUrl);
        Assert.Equal("file:///etc/passwd", response.Headers.Location!.OriginalString);
    }
}
