using FunctionsCrawler.Storage;
using Xunit;

namespace FunctionsCrawler.Tests.Storage;

public sealed class CoverStoreTests
{
    private static readonly Uri Site = new("http://127.0.0.1:5080/");

    [Theory]
    [InlineData("https://p1.music.126.net/a==/1.jpg", true)]
    [InlineData("https://p4.music.126.net/a==/1.jpg", true)]
    [InlineData("http://p1.music.126.net/a==/1.jpg", false)] // the CDN serves https: plain http (a redirect there too) could be altered on the path
    [InlineData("http://127.0.0.1:5080/a==/1.jpg", true)]
    [InlineData("http://music.126.net.evil.example/1.jpg", false)]
    [InlineData("http://evilmusic.126.net/1.jpg", false)]
    [InlineData("http://127.0.0.1:5081/a.jpg", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("ftp://p1.music.126.net/1.jpg", false)]
    public void Covers_are_fetched_only_from_allowed_hosts(string url, bool allowed) =>
        Assert.Equal(allowed, FunctionsCrawler.NetEase.CoverHosts.IsAllowed(new Uri(url), Site));

    [Theory]
    [InlineData("http://127.0.0.1:5081/a==/1.jpg", true)]   // the Sandbox's cover host, named in NetEase__ImageHosts
    [InlineData("https://127.0.0.1:5081/a==/1.jpg", true)]
    [InlineData("http://127.0.0.1:5082/a==/1.jpg", false)]  // another port of the same machine is another server
    [InlineData("http://img.example:5081/1.jpg", false)]
    [InlineData("https://p1.music.126.net/a==/1.jpg", true)] // the CDN stays allowed
    public void A_host_named_in_the_image_hosts_is_allowed_by_its_host_and_port(string url, bool allowed) =>
        Assert.Equal(allowed, FunctionsCrawler.NetEase.CoverHosts.IsAllowed(new Uri(url), Site, ["127.0.0.1:5081"]));

    [Fact]
    public void An_image_needs_both_an_image_content_type_and_image_bytes()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10];
        byte[] html = "<html><body>not an image</body></html>"u8.ToArray();
        Assert.True(CoverStore.IsImage(jpeg, "image/jpeg"));
        Assert.False(CoverStore.IsImage(html, "image/jpeg"));
        Assert.False(CoverStore.IsImage(jpeg, "text/html"));
        Assert.False(CoverStore.IsImage([], "image/jpeg"));
        Assert.Equal("image/png", CoverStore.ImageContentType([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]));
    }
}
