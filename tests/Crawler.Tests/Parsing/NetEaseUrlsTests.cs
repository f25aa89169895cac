using System.Net;
using System.Net.Sockets;
using System.Text;
using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

public class NetEaseUrlsTests
{
    private static readonly Uri Site = new("https://music.163.com");

    [Theory]
    [InlineData("说唱", "%E8%AF%B4%E5%94%B1")]
    [InlineData("R&B/Soul", "R%26B%2FSoul")]
    [InlineData("New Age", "New%20Age")]
    [InlineData("另类/独立", "%E5%8F%A6%E7%B1%BB%2F%E7%8B%AC%E7%AB%8B")]
    [InlineData("全部", "%E5%85%A8%E9%83%A8")]
    public void List_page_url_percent_encodes_the_category_as_utf8(string category, string encoded)
    {
        var uri = NetEaseUrls.ListPage(Site, category, 70);

        var expected = $"https://music.163.com/discover/playlist/?order=hot&cat={encoded}&limit=35&offset=70";
        Assert.Equal(expected, uri.AbsoluteUri);
        Assert.Equal(expected, uri.OriginalString);
        Assert.Equal($"?order=hot&cat={encoded}&limit=35&offset=70", uri.Query);
    }

    [Fact]
    public void List_page_url_keeps_the_encoded_slash_in_the_path_sent_by_HttpClient()
    {
        var uri = NetEaseUrls.ListPage(Site, "R&B/Soul", 0);

        Assert.Equal("/discover/playlist/?order=hot&cat=R%26B%2FSoul&limit=35&offset=0", uri.PathAndQuery);
        Assert.Equal("/discover/playlist/", uri.AbsolutePath);
    }

    [Fact]
    public async Task HttpClient_sends_the_list_page_request_line_exactly_as_built()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var uri = NetEaseUrls.ListPage(new Uri($"http://127.0.0.1:{port}"), "R&B/Soul", 35);

        var requestLine = ReadRequestLineAsync(listener);
        using var client = new HttpClient();
        using var response = await client.GetAsync(uri);

        Assert.Equal("GET /discover/playlist/?order=hot&cat=R%26B%2FSoul&limit=35&offset=35 HTTP/1.1", await requestLine);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://127.0.0.1:5080/")]
    public void Base_url_with_or_without_trailing_slash_gives_the_same_urls(string baseUrl)
    {
        var site = new Uri(baseUrl);

        Assert.Equal("http://127.0.0.1:5080/discover/playlist/?order=hot&cat=New%20Age&limit=35&offset=0", NetEaseUrls.ListPage(site, "New Age", 0).AbsoluteUri);
        Assert.Equal("http://127.0.0.1:5080/playlist?id=362750972", NetEaseUrls.Playlist(site, 362750972).AbsoluteUri);
        Assert.Equal("http://127.0.0.1:5080/api/v6/playlist/detail?id=362750972", NetEaseUrls.PlaylistApi(site, 362750972).AbsoluteUri);
    }

    [Theory]
    [InlineData("http://localhost:8080/netease")]
    [InlineData("http://localhost:8080/netease/")]
    public void Base_url_path_is_kept_as_a_prefix(string baseUrl)
    {
        var site = new Uri(baseUrl);

        Assert.Equal("http://localhost:8080/netease/playlist?id=7461352829", NetEaseUrls.Playlist(site, 7461352829).AbsoluteUri);
        Assert.Equal("http://localhost:8080/netease/discover/playlist/?order=hot&cat=%E8%AF%B4%E5%94%B1&limit=35&offset=1225",
            NetEaseUrls.ListPage(site, "说唱", 35 * NetEaseUrls.PageSize).AbsoluteUri);
    }

    [Fact]
    public void Playlist_urls_carry_64_bit_ids()
    {
        Assert.Equal("https://music.163.com/playlist?id=9007199254740993", NetEaseUrls.Playlist(Site, 9007199254740993).AbsoluteUri);
        Assert.Equal("https://music.163.com/api/v6/playlist/detail?id=9007199254740993", NetEaseUrls.PlaylistApi(Site, 9007199254740993).AbsoluteUri);
    }

    [Fact]
    public void List_page_url_rejects_a_negative_offset_and_a_blank_category()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NetEaseUrls.ListPage(Site, "华语", -35));
        Assert.Throws<ArgumentException>(() => NetEaseUrls.ListPage(Site, " ", 0));
    }

    [Theory]
    [InlineData("http://p1.music.126.net/Bg9YMzxgykJpSSN5TC0FoQ==/109951163426607691.jpg?param=140y140", "http://p1.music.126.net/Bg9YMzxgykJpSSN5TC0FoQ==/109951163426607691.jpg")]
    [InlineData("http://p3.music.126.net/8xYnBPl89VLi8pqaJJOqXg==/18964376556038798.jpg?param=200y200", "http://p3.music.126.net/8xYnBPl89VLi8pqaJJOqXg==/18964376556038798.jpg")]
    [InlineData("//p2.music.126.net/tGHU62DTszbFQ37W9qPHcg==/109951165561284475.jpg?param=140y140", "http://p2.music.126.net/tGHU62DTszbFQ37W9qPHcg==/109951165561284475.jpg")]
    [InlineData("https://p4.music.126.net/2Kh9nJu6fUNSbE8iLOJdVw==/109951168223421331.jpg", "https://p4.music.126.net/2Kh9nJu6fUNSbE8iLOJdVw==/109951168223421331.jpg")]
    public void Full_size_cover_drops_the_resize_query_and_adds_a_scheme(string url, string expected)
    {
        Assert.Equal(expected, NetEaseUrls.FullSizeCover(url));
    }

    [Theory]
    [InlineData("R&B/Soul", "R%26B%2FSoul")]
    [InlineData("New Age", "New%20Age")]
    [InlineData("全部", "%E5%85%A8%E9%83%A8")]
    public void Api_list_url_escapes_the_category_and_asks_for_the_total(string category, string encoded)
    {
        var uri = NetEaseUrls.ApiList(Site, category, 70, 35);

        var expected = $"https://music.163.com/api/playlist/list?cat={encoded}&order=hot&limit=35&offset=70&total=true";
        Assert.Equal(expected, uri.AbsoluteUri);
        Assert.Equal("/api/playlist/list", uri.AbsolutePath);
    }

    [Fact]
    public async Task HttpClient_sends_the_api_list_request_line_exactly_as_built()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var uri = NetEaseUrls.ApiList(new Uri($"http://127.0.0.1:{port}"), "R&B/Soul", 100, 50);

        var requestLine = ReadRequestLineAsync(listener);
        using var client = new HttpClient();
        using var response = await client.GetAsync(uri);

        Assert.Equal("GET /api/playlist/list?cat=R%26B%2FSoul&order=hot&limit=50&offset=100&total=true HTTP/1.1", await requestLine);
    }

    [Theory]
    [InlineData("https://music.163.com", "https://music.163.com/api/playlist/catalogue")]
    [InlineData("http://localhost:8080/netease/", "http://localhost:8080/netease/api/playlist/catalogue")]
    public void Catalogue_url_is_under_the_base(string baseUrl, string expected) =>
        Assert.Equal(expected, NetEaseUrls.Catalogue(new Uri(baseUrl)).AbsoluteUri);

    [Fact]
    public void Api_list_url_rejects_a_negative_offset_a_limit_below_1_and_a_blank_category()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NetEaseUrls.ApiList(Site, "华语", -1, 35));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetEaseUrls.ApiList(Site, "华语", 0, 0));
        Assert.Throws<ArgumentException>(() => NetEaseUrls.ApiList(Site, " ", 0, 35));
    }

    [Theory]
    [InlineData("http://p1.music.126.net/abc==/1.jpg?param=140y140", 0, "https://p1.music.126.net/abc==/1.jpg")]
    [InlineData("http://p1.music.126.net/abc==/1.jpg?param=140y140", 400, "https://p1.music.126.net/abc==/1.jpg?param=400y400")]
    [InlineData("//p2.music.126.net/abc==/1.jpg", 1200, "https://p2.music.126.net/abc==/1.jpg?param=1200y1200")]
    [InlineData("http://127.0.0.1:5080/abc==/1.jpg", 0, "http://127.0.0.1:5080/abc==/1.jpg")] // the Sandbox's own host stays as it is
    public void Sized_cover_is_the_full_size_url_or_the_cdns_resize_of_it_over_https_on_the_cdn(string url, int size, string expected) =>
        Assert.Equal(expected, NetEaseUrls.SizedCover(url, size));

    [Theory]
    [InlineData("http://p1.music.126.net/abc==/1.jpg", "https://p1.music.126.net/abc==/1.jpg")]
    [InlineData("HTTP://P4.MUSIC.126.NET/abc==/1.jpg", "https://P4.MUSIC.126.NET/abc==/1.jpg")]
    [InlineData("https://p3.music.126.net/abc==/1.jpg", "https://p3.music.126.net/abc==/1.jpg")]
    [InlineData("http://music.126.net.evil.example/abc==/1.jpg", "http://music.126.net.evil.example/abc==/1.jpg")]
    [InlineData("http://evilmusic.126.net/1.jpg", "http://evilmusic.126.net/1.jpg")]
    [InlineData("http://127.0.0.1:5080/abc==/1.jpg", "http://127.0.0.1:5080/abc==/1.jpg")]
    [InlineData("not a url", "not a url")]
    public void Only_the_image_cdn_is_asked_over_https(string url, string expected) =>
        Assert.Equal(expected, NetEaseUrls.OverHttps(url));

    [Fact]
    public void A_cover_stored_from_http_is_the_same_cover_when_it_is_fetched_over_https()
    {
        // Covers stored before they were fetched over https keep their http source: not "moved", not fetched again.
        var storedBefore = "http://p2.music.126.net/abc==/1.jpg";
        var fetchedNow = new Uri(NetEaseUrls.SizedCover("http://p2.music.126.net/abc==/1.jpg?param=140y140", 0));
        Assert.Equal("https", fetchedNow.Scheme);
        Assert.True(NetEaseUrls.SameCover(storedBefore, fetchedNow));
        Assert.True(FunctionsCrawler.Pipeline.RefreshFromList.SameCover(storedBefore, "https://p1.music.126.net/abc==/1.jpg"));
    }

    [Theory]
    [InlineData("http://p1.music.126.net/abc==/1.jpg", "http://p1.music.126.net/abc==/1.jpg")]
    [InlineData("http://p1.music.126.net/abc==/1.jpg?param=400y400", "http://p1.music.126.net/abc==/1.jpg?param=400y400")]
    [InlineData("http://p1.music.126.net/abc==/1.jpg?x=1&param=400Y400#f", "http://p1.music.126.net/abc==/1.jpg?param=400y400")]
    [InlineData("http://p1.music.126.net/abc==/1.jpg?param=big", "http://p1.music.126.net/abc==/1.jpg")]
    public void Cover_source_keeps_the_resize_and_nothing_else_of_the_query(string url, string source) =>
        Assert.Equal(source, NetEaseUrls.CoverSource(new Uri(url)));

    [Theory]
    // The same image at the same size, from whichever CDN host: kept.
    [InlineData("http://p1.music.126.net/abc==/1.jpg", "http://p3.music.126.net/abc==/1.jpg", true)]
    [InlineData("http://p1.music.126.net/abc==/1.jpg?param=400y400", "https://p4.music.126.net/abc==/1.jpg?param=400y400", true)]
    // Covers stored before sizes were kept have no size: the original, the same as asking for no size.
    [InlineData("http://p2.music.126.net/abc==/1.jpg", "http://p2.music.126.net/abc==/1.jpg", true)]
    // The size setting changed: fetched again.
    [InlineData("http://p1.music.126.net/abc==/1.jpg", "http://p1.music.126.net/abc==/1.jpg?param=400y400", false)]
    [InlineData("http://p1.music.126.net/abc==/1.jpg?param=400y400", "http://p1.music.126.net/abc==/1.jpg", false)]
    [InlineData("http://p1.music.126.net/abc==/1.jpg?param=400y400", "http://p2.music.126.net/abc==/1.jpg?param=200y200", false)]
    // Another image: fetched again.
    [InlineData("http://p1.music.126.net/abc==/1.jpg?param=400y400", "http://p1.music.126.net/xyz==/1.jpg?param=400y400", false)]
    [InlineData("http://127.0.0.1:5080/covers/1.jpg?param=400y400", "http://127.0.0.1:5080/covers/1.jpg?param=400y400", true)]
    [InlineData("http://127.0.0.1:5080/covers/1.jpg", "http://127.0.0.1:5081/covers/1.jpg", false)]
    [InlineData("", "http://p1.music.126.net/abc==/1.jpg", false)]
    [InlineData("not a url", "http://p1.music.126.net/abc==/1.jpg", false)]
    public void Same_cover_is_the_same_image_at_the_same_size_whatever_the_cdn_host(string stored, string asked, bool same) =>
        Assert.Equal(same, NetEaseUrls.SameCover(stored, new Uri(asked)));

    [Fact]
    public void A_cover_fetched_at_a_size_and_stored_by_its_source_is_the_same_cover_next_time()
    {
        var fetched = new Uri(NetEaseUrls.SizedCover("http://p1.music.126.net/abc==/1.jpg?param=140y140", 400));
        var source = NetEaseUrls.CoverSource(fetched);

        Assert.True(NetEaseUrls.SameCover(source, new Uri(NetEaseUrls.SizedCover("http://p3.music.126.net/abc==/1.jpg", 400))));
        Assert.False(NetEaseUrls.SameCover(source, new Uri(NetEaseUrls.SizedCover("http://p3.music.126.net/abc==/1.jpg", 0))));
        Assert.False(NetEaseUrls.SameCover(source, new Uri(NetEaseUrls.SizedCover("http://p3.music.126.net/abc==/1.jpg", 600))));
    }

    [Fact]
    public void Song_detail_url_carries_the_ids_as_url_encoded_json_in_c()
    {
        var uri = NetEaseUrls.SongDetail(Site, [1920025919, 5, 9223372036854775807]);

        Assert.Equal(
            "https://music.163.com/api/v3/song/detail?c=%5B%7B%22id%22%3A1920025919%7D%2C%7B%22id%22%3A5%7D%2C%7B%22id%22%3A9223372036854775807%7D%5D",
            uri.AbsoluteUri);
        Assert.Equal("""[{"id":1920025919},{"id":5},{"id":9223372036854775807}]""", Uri.UnescapeDataString(uri.Query["?c=".Length..]));
    }

    [Fact]
    public void Song_detail_form_is_the_query_of_the_get_posted_to_the_same_path()
    {
        long[] ids = [7, 8];

        Assert.Equal("c=%5B%7B%22id%22%3A7%7D%2C%7B%22id%22%3A8%7D%5D", NetEaseUrls.SongDetailQuery(ids));
        Assert.Equal(NetEaseUrls.SongDetailForm(Site).AbsoluteUri + "?" + NetEaseUrls.SongDetailQuery(ids), NetEaseUrls.SongDetail(Site, ids).AbsoluteUri);
        Assert.Equal("http://127.0.0.1:5000/x/api/v3/song/detail", NetEaseUrls.SongDetailForm(new Uri("http://127.0.0.1:5000/x/")).AbsoluteUri);
    }

    [Fact]
    public void Two_hundred_song_ids_fit_a_get_and_a_thousand_do_not()
    {
        // Song ids are 10 digits today (1920025919); the longest a long can be is 19.
        var today = Enumerable.Range(0, 200).Select(i => 2_000_000_000L + i).ToArray();
        var longest = Enumerable.Range(0, 200).Select(i => long.MaxValue - i).ToArray();
        var most = Enumerable.Range(0, 265).Select(i => 2_000_000_000L + i).ToArray();
        var thousand = Enumerable.Range(0, 1000).Select(i => 2_000_000_000L + i).ToArray();

        Assert.Equal(6_046, NetEaseUrls.SongDetail(Site, today).AbsoluteUri.Length);
        Assert.Equal(7_846, NetEaseUrls.SongDetail(Site, longest).AbsoluteUri.Length);
        Assert.InRange(NetEaseUrls.SongDetail(Site, most).AbsoluteUri.Length, 7_900, NetEaseUrls.MaxSongDetailGetLength);
        Assert.Equal(30_046, NetEaseUrls.SongDetail(Site, thousand).AbsoluteUri.Length);
    }

    [Fact]
    public async Task HttpClient_sends_the_song_detail_request_line_exactly_as_built()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var uri = NetEaseUrls.SongDetail(new Uri($"http://127.0.0.1:{port}"), [1, 22]);

        var requestLine = ReadRequestLineAsync(listener);
        using var client = new HttpClient();
        using var response = await client.GetAsync(uri);

        Assert.Equal("GET /api/v3/song/detail?c=%5B%7B%22id%22%3A1%7D%2C%7B%22id%22%3A22%7D%5D HTTP/1.1", await requestLine);
    }

    [Fact]
    public void Song_detail_url_rejects_no_ids_and_ids_not_above_0()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NetEaseUrls.SongDetail(Site, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetEaseUrls.SongDetail(Site, [1, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetEaseUrls.SongDetailQuery([-5]));
    }

    private static async Task<string> ReadRequestLineAsync(TcpListener listener)
    {
        using var socket = await listener.AcceptTcpClientAsync();
        var stream = socket.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        var requestLine = await reader.ReadLineAsync() ?? "";
        while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
        {
            // Drain the headers before answering.
        }

        var reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray();
        await stream.WriteAsync(reply);
        return requestLine;
    }
}
