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
