using System.Net;
using System.Net.Sockets;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Tests.NetEase;
using FunctionsCrawler.Tests.Parsing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace FunctionsCrawler.Tests.Pipeline;

/// <summary>Category <c>all</c>: the site's menu read through the client, and the known list when it cannot be read.</summary>
public sealed class ResolveCategoriesTests
{
    private const string Html = "text/html;charset=utf-8";
    private static readonly string[] MenuNames = ["华语", "欧美", "说唱", "R&B/Soul", "另类/独立", "New Age", "下午茶", "治愈", "ACG", "00后"];
    private static readonly string[] KnownNames = [.. CategoryMenu.Known.Select(c => c.Name)];

    private sealed class Lines : ILogger<ResolveCategories>
    {
        public List<(LogLevel Level, string Text)> Written { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Written.Add((logLevel, formatter(state, exception)));
    }

    private static (ResolveCategories Resolve, Lines Log) Resolver(Uri site)
    {
        var options = new NetEaseOptions { BaseUrl = site.ToString(), RetryDelaySeconds = 0, ReadTimeoutSeconds = 5 };
        var pushback = new SitePushback(Options.Create(options), TimeProvider.System);
        var client = new NetEaseClient(new HttpClient(NetEaseClient.CreateHandler(options)) { Timeout = Timeout.InfiniteTimeSpan },
            new HostRateLimiter(1000, pushback, TimeProvider.System), Options.Create(options), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<NetEaseClient>.Instance);
        var log = new Lines();
        return (new ResolveCategories(client, log), log);
    }

    private static HostileServer MenuServer(int status, string body) =>
        new((_, s, ct) => HostileServer.WriteAsync(s, status, Html, body, ct));

    [Fact]
    public async Task All_is_the_menu_of_discover_playlist_in_menu_order()
    {
        await using var server = MenuServer(200, Fixture.Read("discover-playlist-menu.html"));
        var (resolve, log) = Resolver(server.BaseUrl);

        var resolved = await resolve.RunAsync(["all"], CancellationToken.None);

        Assert.Equal(MenuNames, resolved.Names);
        Assert.Null(resolved.Fallback);
        Assert.Equal("/discover/playlist/", Assert.Single(server.Requests).Target);
        Assert.DoesNotContain(log.Written, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task All_in_any_case_mixed_with_names_expands_in_place_without_duplicates()
    {
        await using var server = MenuServer(200, Fixture.Read("discover-playlist-menu.html"));
        var (resolve, _) = Resolver(server.BaseUrl);

        var resolved = await resolve.RunAsync(["古风", " 说唱 ", "ALL", "All", "古风"], CancellationToken.None);

        Assert.Equal(["古风", "说唱", .. MenuNames.Where(n => n != "说唱")], resolved.Names);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Names_without_all_are_kept_as_given_and_the_site_is_not_asked()
    {
        await using var server = MenuServer(200, Fixture.Read("discover-playlist-menu.html"));
        var (resolve, _) = Resolver(server.BaseUrl);

        var resolved = await resolve.RunAsync(["说唱", "华语", "说唱", "allx"], CancellationToken.None);

        Assert.Equal(["说唱", "华语", "allx"], resolved.Names);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(503, "", "blocked")]
    [InlineData(200, """{"code":-460,"msg":"Cheating"}""", "blocked")]
    [InlineData(200, "<!DOCTYPE html><html><body><div class=\"g-bd\">no menu here</div></body></html>", "malformed")]
    [InlineData(200, "<html><body><div id=\"cateListBox\"><dl><dt>语种</dt><dd><a href=\"/discover/playlist/?cat=%E5%8D%8E", "malformed")]
    [InlineData(404, "<html><body>404</body></html>", "")]
    public async Task A_menu_that_cannot_be_read_falls_back_to_the_known_list_with_one_warning_naming_why(int status, string body, string why)
    {
        await using var server = MenuServer(status, body);
        var (resolve, log) = Resolver(server.BaseUrl);

        var resolved = await resolve.RunAsync(["all"], CancellationToken.None);

        Assert.Equal(KnownNames, resolved.Names);
        Assert.NotNull(resolved.Fallback);
        Assert.StartsWith(why, resolved.Fallback);
        Assert.Null(resolved.Unreachable);
        var warning = Assert.Single(log.Written, l => l.Level >= LogLevel.Warning);
        Assert.Contains(resolved.Fallback!, warning.Text);
        Assert.Contains("72 categories", warning.Text);
    }

    [Fact]
    public async Task An_unreachable_site_falls_back_to_the_known_list_and_says_so()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var (resolve, log) = Resolver(new Uri($"http://127.0.0.1:{port}/"));

        var resolved = await resolve.RunAsync(["all", "说唱"], CancellationToken.None);

        Assert.Equal(KnownNames, resolved.Names); // 说唱 is one of them already
        Assert.StartsWith("unreachable", resolved.Fallback);
        Assert.NotNull(resolved.Unreachable);
        Assert.Single(log.Written, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public void Crawler_categories_all_passes_the_settings_check()
    {
        Assert.True(new CrawlerOptionsValidator().Validate(null, new CrawlerOptions { Categories = "all" }).Succeeded);
        Assert.Equal(["all"], new CrawlerOptions { Categories = "all" }.CategoryList);
    }
}
