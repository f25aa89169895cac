using System.Net;
using System.Net.Sockets;

namespace FunctionsCrawler.Sandbox.Tests;

/// <summary>CoverPort: the covers come from a host of their own, as the real site's come from its image CDN.</summary>
public sealed class CoverHostTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Covers_come_from_the_cover_host_which_serves_images_only_and_the_site_keeps_its_pages()
    {
        var coverPort = FreePort();
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 3, CoverPort = coverPort });
        using var client = new SiteClient(site);
        var playlist = site.Catalog.Playlist(site.Catalog.PageIds("说唱", 0)[0]);

        Assert.Equal(new Uri($"http://127.0.0.1:{coverPort}/"), site.CoverBaseUrl);
        Assert.StartsWith($"http://127.0.0.1:{coverPort}/", playlist.CoverUrl, StringComparison.Ordinal);
        Assert.Equal(site.Catalog.CoverBytes(playlist.Id), await client.BytesAsync(playlist.CoverUrl));
        // The detail page and the list answer name the cover host too; the cover host answers no page.
        Assert.Contains($"127.0.0.1:{coverPort}/", await client.TextAsync($"/playlist?id={playlist.Id}"), StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{coverPort}/", await client.TextAsync("/api/playlist/list?cat=%E8%AF%B4%E5%94%B1&limit=35&offset=0"), StringComparison.Ordinal);
        using var page = await client.GetAsync($"http://127.0.0.1:{coverPort}/playlist?id={playlist.Id}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        using var api = await client.GetAsync($"http://127.0.0.1:{coverPort}/api/playlist/list?cat=%E8%AF%B4%E5%94%B1");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    [Fact]
    public void A_cover_port_outside_the_port_range_is_refused_in_one_line()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new SandboxOptions { CoverPort = 70000 }.Validate());
        Assert.Contains("CoverPort", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
