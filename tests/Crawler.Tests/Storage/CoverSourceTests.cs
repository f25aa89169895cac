using FunctionsCrawler.Storage;
using Xunit;

namespace FunctionsCrawler.Tests.Storage;

/// <summary>When a stored cover's <c>source</c> names the image a playlist now points at (so it is not fetched again).</summary>
public sealed class CoverSourceTests
{
    [Theory]
    [InlineData("http://p1.music.126.net/abc==/109951.jpg", "http://p1.music.126.net/abc==/109951.jpg", true)]
    [InlineData("http://p1.music.126.net/abc==/109951.jpg", "http://p3.music.126.net/abc==/109951.jpg", true)]
    [InlineData("http://p1.music.126.net/abc==/109951.jpg", "https://p4.music.126.net/abc==/109951.jpg", true)]
    [InlineData("http://p1.music.126.net/abc==/109951.jpg", "http://p1.music.126.net/xyz==/109951.jpg", false)]
    [InlineData("http://p1.music.126.net/abc==/109951.jpg", "http://p1.music.126.net/ABC==/109951.jpg", false)]
    [InlineData("http://127.0.0.1:5080/covers/1.jpg", "http://127.0.0.1:5080/covers/1.jpg", true)]
    [InlineData("http://127.0.0.1:5080/covers/1.jpg", "http://127.0.0.1:5081/covers/1.jpg", false)]
    [InlineData("http://127.0.0.1:5080/covers/1.jpg", "http://127.0.0.1:5080/covers/2.jpg", false)]
    [InlineData("http://127.0.0.1:5080/abc==/1.jpg", "http://p1.music.126.net/abc==/1.jpg", false)]
    [InlineData("", "http://p1.music.126.net/abc==/1.jpg", false)]
    [InlineData("not a url", "http://p1.music.126.net/abc==/1.jpg", false)]
    public void Same_source_compares_only_the_path_on_the_image_cdn_and_the_whole_url_elsewhere(string stored, string asked, bool same) =>
        Assert.Equal(same, CoverStore.SameSource(stored, new Uri(asked)));

    [Fact]
    public void The_source_kept_is_the_url_up_to_its_path_with_the_size_asked_for_and_no_other_query_or_fragment()
    {
        Assert.Equal("http://p1.music.126.net/abc==/1.jpg?param=140y140", CoverStore.Source(new Uri("http://p1.music.126.net/abc==/1.jpg?param=140y140#x")));
        Assert.Equal("http://p1.music.126.net/abc==/1.jpg", CoverStore.Source(new Uri("http://p1.music.126.net/abc==/1.jpg?x=1#y")));
        // Another size of the same image is another cover (NetEase__CoverSize changed): fetched again.
        Assert.False(CoverStore.SameSource("http://p1.music.126.net/abc==/1.jpg", new Uri("http://p2.music.126.net/abc==/1.jpg?param=400y400")));
        Assert.True(CoverStore.SameSource("http://p1.music.126.net/abc==/1.jpg?param=400y400", new Uri("http://p2.music.126.net/abc==/1.jpg?param=400y400")));
    }
}
