using System.IO.Compression;
using System.Net;
using System.Text;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Tests.Parsing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace FunctionsCrawler.Tests.NetEase;

/// <summary>The site client against small hostile servers on 127.0.0.1: what each real-world answer gives.</summary>
public sealed class NetEaseClientTests
{
    internal const string Html = "text/html;charset=utf8";
    private static readonly string ListPage = Fixture.Read("list-page-1.html");
    private static readonly string OverloadPage =
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>网易云音乐</title></head><body><p class=\"note\">很抱歉，服务器开小差了，请稍后再试</p></body></html>";

    internal static NetEaseClient Client(Uri site, Action<NetEaseOptions>? configure = null,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null, SitePushback? pushback = null)
    {
        var options = new NetEaseOptions { BaseUrl = site.ToString(), RetryDelaySeconds = 0, ReadTimeoutSeconds = 5 };
        configure?.Invoke(options);
        pushback ??= new SitePushback(Options.Create(options), TimeProvider.System);
        return new NetEaseClient(new HttpClient(NetEaseClient.CreateHandler(options, resolve)) { Timeout = Timeout.InfiniteTimeSpan },
            new HostRateLimiter(1000, pushback, TimeProvider.System), Options.Create(options), TimeProvider.System, NullLogger<NetEaseClient>.Instance);
    }

    [Theory]
    [InlineData("text/html;charset=utf8")]
    [InlineData("text/html; charset=UTF8")]
    [InlineData("text/html; charset=\"utf-8\"")]
    [InlineData("text/html; charset=no-such-charset")]
    [InlineData("text/html")]
    public async Task A_page_labelled_the_way_real_servers_label_it_decodes_as_UTF8(string contentType)
    {
        await using var server = new HostileServer((_, s, ct) => HostileServer.WriteAsync(s, 200, contentType, ListPage, ct));
        var result = await Client(server.BaseUrl).GetListPageAsync("说唱", 0, CancellationToken.None);
        Assert.Equal(PageOutcome.Ok, result.Outcome);
        Assert.Equal("论 备 胎 的 自 我 修 养", result.Value!.Playlists[0].Title);
    }

    [Fact]
    public async Task A_GBK_page_labelled_gb2312_decodes()
    {
        var gbk = PageText.Resolve("gbk")!;
        var body = gbk.GetBytes(ListPage.Replace("<meta charset=\"utf-8\">", "<meta charset=\"gbk\">"));
        await using var server = new HostileServer((_, s, ct) => HostileServer.WriteAsync(s, 200, [("Content-Type", "text/html; charset=gb2312")], body, ct));
        var result = await Client(server.BaseUrl).GetListPageAsync("说唱", 0, CancellationToken.None);
        Assert.Equal("论 备 胎 的 自 我 修 养", result.Value!.Playlists[0].Title);
    }

    [Theory]
    [InlineData(503, "")]
    [InlineData(429, "")]
    [InlineData(200, "overload")]
    [InlineData(200, """{"code":-460,"msg":"Cheating"}""")]
    [InlineData(400, """{"code":-460,"msg":"Cheating"}""")]
    [InlineData(200, """{"code":-462,"data":{"blockText":"请完成验证操作"}}""")]
    [InlineData(200, """{"code":405,"msg":"操作频繁，请稍候再试"}""")]
    [InlineData(200, "   ")]
    public async Task A_block_is_returned_at_once_and_never_retried(int status, string body)
    {
        var text = body == "overload" || (body.Length == 0 && status == 503) ? OverloadPage : body;
        await using var server = new HostileServer((_, s, ct) => HostileServer.WriteAsync(s, status, Html, text, ct));
        var result = await Client(server.BaseUrl).GetPlaylistAsync(123, CancellationToken.None);
        Assert.Equal(PageOutcome.Blocked, result.Outcome);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task While_the_crawl_is_paused_nothing_leaves_not_even_a_retry_and_the_answer_says_it_was_held()
    {
        // A pause longer than a request waits in the pacer (a minute): the request is handed back, not sent.
        var pushback = new SitePushback(Options.Create(new NetEaseOptions { BlockPauseSeconds = 300 }), TimeProvider.System);
        // The first try fails with a 500 (retried), and meanwhile another request's answer was a block: the retry stays here.
        await using var server = new HostileServer((_, s, ct) =>
        {
            pushback.OnBlocked();
            return HostileServer.WriteAsync(s, 500, Html, "<html>error</html>", ct);
        });
        var client = Client(server.BaseUrl, pushback: pushback);
        var held = await client.GetPlaylistAsync(123, CancellationToken.None);
        Assert.Equal(PageOutcome.Blocked, held.Outcome);
        Assert.True(held.Held);
        Assert.InRange(held.RetryAfter!.Value.TotalSeconds, 295, 300); // until the pause ends
        Assert.Single(server.Requests);

        var cover = await client.GetCoverAsync(new Uri(server.BaseUrl, "/cover.jpg"), CancellationToken.None);
        Assert.True(cover is { Held: true, Blocked: not null });
        Assert.Single(server.Requests); // the site saw nothing more
    }

    [Fact]
    public async Task Retry_after_is_read_from_a_block()
    {
        await using var server = new HostileServer((_, s, ct) => HostileServer.WriteAsync(s, 503, Html, OverloadPage, ct, ("Retry-After", "7")));
        var result = await Client(server.BaseUrl).GetPlaylistAsync(123, CancellationToken.None);
        Assert.Equal(PageOutcome.Blocked, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Fact]
    public async Task A_server_error_is_retried_and_the_next_answer_used()
    {
        var calls = 0;
        await using var server = new HostileServer((_, s, ct) => Interlocked.Increment(ref calls) == 1
            ? HostileServer.WriteAsync(s, 502, Html, "<html>502 Bad Gateway</html>", ct)
            : HostileServer.WriteAsync(s, 200, Html, ListPage, ct));
        var result = await Client(server.BaseUrl).GetListPageAsync("说唱", 0, CancellationToken.None);
        Assert.Equal(PageOutcome.Ok, result.Outcome);
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Server_errors_that_persist_are_tried_four_times_then_reported_malformed(int status)
    {
        await using var server = new HostileServer((_, s, ct) => HostileServer.WriteAsync(s, status, Html, "<html>error</html>", ct));
        var result = await Client(server.BaseUrl).GetListPageAsync("说唱", 0, CancellationToken.None);
        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Contains($"HTTP {status}", result.Reason);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task A_site_that_refuses_connections_gives_one_line_after_the_retries()
    {
        var port = FunctionsCrawler.TestSupport.FreePort.Next();
        var e = await Assert.ThrowsAsync<SiteFetchException>(() =>
            Client(new Uri($"http://127.0.0.1:{port}/")).GetListPageAsync("说唱", 0, CancellationToken.None));
        Assert.Contains("gave up after 4 tries", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(HttpRequestError.ConnectionError, e.HttpRequestError);
    }

    [Fact]
    public async Task A_body_dripped_a_byte_at_a_time_times_out_instead_of_holding_the_worker()
    {
        await using var server = new HostileServer(async (_, s, ct) =>
        {
            var body = Encoding.UTF8.GetBytes(ListPage);
            await HostileServer.WriteAsync(s, 200, [("Content-Type", Html), ("Content-Length", body.Length.ToString())], [], ct, contentLength: false);
            foreach (var b in body)
            {
                await s.WriteAsync(new[] { b }, ct);
                await s.FlushAsync(ct);
                await Task.Delay(200, ct);
            }
        });
        var started = DateTime.UtcNow;
        var e = await Assert.ThrowsAsync<SiteFetchException>(() =>
            Client(server.BaseUrl, o => o.ReadTimeoutSeconds = 1).GetListPageAsync("说唱", 0, CancellationToken.None));
        Assert.Contains("no complete answer within 1 s", e.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "four tries of one second each");
    }

    [Fact]
    public async Task A_declared_length_over_the_cap_is_refused_without_reading()
    {
        await using var server = new HostileServer((_, s, ct) =>
            HostileServer.WriteAsync(s, 200, [("Content-Type", Html), ("Content-Length", "999999999999")], [], ct, contentLength: false));
        var result = await Client(server.BaseUrl).GetListPageAsync("说唱", 0, CancellationToken.None);
        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Contains("over the 4,194,304-byte cap", result.Reason);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://p1.not-allowed.invalid/a.jpg")]
    [InlineData("http://10.0.0.1/a.jpg")]
    [InlineData("http://p1.music.126.net/abc==/1.jpg")] // the CDN over plain http
    public async Task A_cover_redirect_off_the_allowed_hosts_is_not_followed(string location)
    {
        await using var server = new HostileServer((_, s, ct) => HostileServer.WriteAsync(s, 302, [("Location", location)], [], ct));
        var cover = await Client(server.BaseUrl).GetCoverAsync(new Uri(server.BaseUrl, "abc==/1.jpg"), CancellationToken.None);
        Assert.Null(cover.Bytes);
        Assert.Contains("redirected to", cover.Problem);
        Assert.Contains("not allowed", cover.Problem);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{other}/discover/playlist/", "port {other}, not {port}")] // the same host, another server
    [InlineData("https://127.0.0.1:{port}/discover/playlist/", "scheme https, not http")]
    [InlineData("http://localhost:{other}/discover/playlist/", "host 'localhost', not '127.0.0.1'")]
    public async Task A_page_redirect_to_another_scheme_host_or_port_is_refused_in_one_line(string location, string why)
    {
        await using var elsewhere = new HostileServer((_, s, ct) => HostileServer.WriteAsync(s, 200, Html, ListPage, ct));
        var port = 0; // the server's own, known once it listens
        string Fill(string text) => text.Replace("{other}", Invariant(elsewhere.Port), StringComparison.Ordinal).Replace("{port}", Invariant(port), StringComparison.Ordinal);
        await using var server = new HostileServer((_, s, ct) => HostileServer.WriteAsync(s, 302, [("Location", Fill(location))], [], ct));
        port = server.Port;

        var page = await Client(server.BaseUrl).GetTextAsync(new Uri(server.BaseUrl, "discover/playlist/?cat=x"), CancellationToken.None);

        Assert.NotNull(page.Problem);
        Assert.EndsWith($"not the site: {Fill(why)}", page.Problem);
        Assert.DoesNotContain('\n', page.Problem);
        Assert.Single(server.Requests);
        Assert.Empty(elsewhere.Requests);
    }

    private static string Invariant(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_page_redirect_within_the_site_is_followed()
    {
        var port = 0;
        await using var server = new HostileServer((r, s, ct) => r.Target.StartsWith("/moved", StringComparison.Ordinal)
            ? HostileServer.WriteAsync(s, 200, Html, ListPage, ct)
            : HostileServer.WriteAsync(s, 302, [("Location", $"http://127.0.0.1:{Invariant(port)}/moved")], [], ct));
        port = server.Port;
        var page = await Client(server.BaseUrl).GetTextAsync(new Uri(server.BaseUrl, "discover/playlist/"), CancellationToken.None);
        Assert.Null(page.Problem);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public void The_handler_uses_no_system_proxy_so_the_address_guard_sees_the_site()
    {
        using var handler = NetEaseClient.CreateHandler(new NetEaseOptions());
        Assert.False(handler.UseProxy);
    }

    [Fact]
    public async Task A_cover_redirect_within_the_allowed_hosts_is_followed_and_each_hop_paced()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        await using var server = new HostileServer((r, s, ct) => r.Target.StartsWith("/moved", StringComparison.Ordinal)
            ? HostileServer.WriteAsync(s, 200, [("Content-Type", "image/jpeg")], jpeg, ct)
            : HostileServer.WriteAsync(s, 302, [("Location", "/moved/1.jpg")], [], ct));
        var cover = await Client(server.BaseUrl).GetCoverAsync(new Uri(server.BaseUrl, "abc==/1.jpg"), CancellationToken.None);
        Assert.Equal(jpeg, cover.Bytes);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task An_image_host_that_resolves_to_a_loopback_address_is_not_connected_to_when_the_site_is_public()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        await using var server = new HostileServer((_, s, ct) => HostileServer.WriteAsync(s, 200, [("Content-Type", "image/jpeg")], jpeg, ct));
        // The DNS answer for an allowed CDN name points at this machine (DNS rebinding, or a hostile resolver).
        var client = Client(new Uri("https://music.163.com/"), resolve: (_, _) => Task.FromResult(new[] { IPAddress.Loopback }));
        var cover = await client.GetCoverAsync(new Uri($"https://p1.music.126.net:{server.Port}/abc==/1.jpg"), CancellationToken.None);
        Assert.Null(cover.Bytes);
        Assert.Contains("loopback address", cover.Problem);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_cover_host_that_pushes_back_is_a_block_not_a_missing_cover()
    {
        await using var server = new HostileServer((_, s, ct) => HostileServer.WriteAsync(s, 429, Html, "slow down", ct, ("Retry-After", "3")));
        var cover = await Client(server.BaseUrl).GetCoverAsync(new Uri(server.BaseUrl, "abc==/1.jpg"), CancellationToken.None);
        Assert.NotNull(cover.Blocked);
        Assert.Equal(TimeSpan.FromSeconds(3), cover.RetryAfter);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_json_list_page_is_asked_at_the_configured_page_size_and_parsed()
    {
        await using var server = new HostileServer((_, s, ct) =>
            HostileServer.WriteAsync(s, 200, "application/json;charset=UTF-8", Fixture.Read("api-list-page.json"), ct));
        var result = await Client(server.BaseUrl, o => o.ListPageSize = 50).GetApiListAsync("R&B/Soul", 2, CancellationToken.None);

        Assert.Equal(PageOutcome.Ok, result.Outcome);
        Assert.Equal(27, result.Value!.TotalPages); // 1304 at 50 a page
        Assert.Equal(4, result.Value.Playlists.Count);
        Assert.Equal("/api/playlist/list?cat=R%26B%2FSoul&order=hot&limit=50&offset=100&total=true", Assert.Single(server.Requests).Target);
    }

    [Fact]
    public async Task A_blocked_json_list_is_a_block_with_the_sites_wait()
    {
        await using var server = new HostileServer((_, s, ct) =>
            HostileServer.WriteAsync(s, 200, "application/json", """{"code":-460,"msg":"Cheating"}""", ct, ("Retry-After", "7")));
        var result = await Client(server.BaseUrl).GetApiListAsync("说唱", 0, CancellationToken.None);

        Assert.Equal(PageOutcome.Blocked, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Fact]
    public async Task The_catalogue_is_read_from_its_address()
    {
        await using var server = new HostileServer((_, s, ct) =>
            HostileServer.WriteAsync(s, 200, "application/json", Fixture.Read("api-catalogue.json"), ct));
        var result = await Client(server.BaseUrl).GetCatalogueAsync(CancellationToken.None);

        Assert.Equal(PageOutcome.Ok, result.Outcome);
        Assert.Equal(9, result.Value!.Count);
        Assert.Equal("/api/playlist/catalogue", Assert.Single(server.Requests).Target);
    }

    [Theory]
    [InlineData(0, "https://p1.music.126.net/abc==/1.jpg")]
    [InlineData(400, "https://p1.music.126.net/abc==/1.jpg?param=400y400")]
    public void The_cover_fetched_is_the_original_or_the_configured_size_over_https(int size, string expected)
    {
        var (url, problem) = Client(new Uri("https://music.163.com/"), o => o.CoverSize = size).CoverUrl("http://p1.music.126.net/abc==/1.jpg?param=140y140");

        Assert.Null(problem);
        Assert.Equal(expected, url!.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://p1.music.126.net/a.jpg", "music.126.net")]
    [InlineData("http://p4.music.126.net/b.jpg", "music.126.net")]
    [InlineData("https://music.163.com/playlist?id=1", "music.163.com")]
    [InlineData("http://127.0.0.1:5080/a.jpg", "127.0.0.1:5080")]
    public void The_image_hosts_share_one_politeness_group(string url, string group) =>
        Assert.Equal(group, HostRateLimiter.GroupOf(new Uri(url)));

    internal static byte[] GzipOfZeros(int size)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var written = 0; written < size; written += zeros.Length) gzip.Write(zeros);
        }
        return output.ToArray();
    }
}
