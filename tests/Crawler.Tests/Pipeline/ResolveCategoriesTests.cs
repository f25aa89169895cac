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

/// <summary>
/// Category <c>all</c>: the site's catalogue (JSON lists) or menu read through the client, the menu when the catalogue
/// cannot be read, and the known list when neither can.
/// </summary>
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

    /// <summary>A resolver reading the menu page (<c>page</c> lists) or, with <c>api</c> lists, the catalogue first.</summary>
    private static (ResolveCategories Resolve, Lines Log) Resolver(Uri site, string listSource = "page")
    {
        var options = new NetEaseOptions { BaseUrl = site.ToString(), RetryDelaySeconds = 0, ReadTimeoutSeconds = 5, ListSource = listSource };
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
    public async Task Menu_entries_that_are_not_names_are_skipped_and_a_long_menu_cut_each_in_one_warning_line()
    {
        // A hostile menu: a zero-width space, a formula, punctuation, then 205 good names. (Reading the menu folds whitespace
        // to one space, as a browser shows it, and drops an entry with control characters, markup or over 40 characters:
        // CategoryMenuParserTests; what is left is judged by the category-name rule here.)
        var entries = new[] { "欧美&#8203;", "=cmd|x", "说唱@home" }.Concat(Enumerable.Range(1, 205).Select(i => $"风格{i}"));
        var links = string.Concat(entries.Select(e => $"<a class=\"s-fc1\" href=\"/discover/playlist/\" data-cat=\"{e}\">{e}</a>"));
        var menu = $"<html><body><div id=\"cateListBox\"><dl><dt>风格</dt><dd>{links}</dd></dl></div></body></html>";
        await using var server = MenuServer(200, menu);
        var (resolve, log) = Resolver(server.BaseUrl);

        var resolved = await resolve.RunAsync(["all"], CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, CategoryNames.MaxFromMenu).Select(i => $"风格{i}"), resolved.Names);
        var warnings = log.Written.Where(l => l.Level == LogLevel.Warning).Select(l => l.Text).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("skipped 3 menu entries that are not category names", warnings[0]);
        Assert.Contains("U+200B", warnings[0]);
        Assert.Contains("it holds '=' (U+003D)", warnings[0]);
        Assert.Contains("'\uFFFDcmd\uFFFDx'", warnings[0]); // previews show what is not allowed as �
        Assert.DoesNotContain('\u200b', warnings[0]); // the hostile text is shown escaped, never written raw
        Assert.Contains($"lists 205 categories; crawling the first {CategoryNames.MaxFromMenu}", warnings[1]);
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

    private const string Json = "application/json;charset=UTF-8";

    /// <summary>The catalogue at /api/playlist/catalogue, the menu page everywhere else.</summary>
    private static HostileServer SiteServer(int catalogueStatus, string catalogue, int menuStatus, string menu) =>
        new((request, s, ct) => request.Target.StartsWith("/api/playlist/catalogue", StringComparison.Ordinal)
            ? HostileServer.WriteAsync(s, catalogueStatus, Json, catalogue, ct)
            : HostileServer.WriteAsync(s, menuStatus, Html, menu, ct));

    [Fact]
    public async Task With_json_lists_all_is_the_catalogue_and_the_menu_page_is_not_asked()
    {
        await using var server = SiteServer(200, Fixture.Read("api-catalogue.json"), 200, Fixture.Read("discover-playlist-menu.html"));
        var (resolve, log) = Resolver(server.BaseUrl, "api");

        var resolved = await resolve.RunAsync(["all"], CancellationToken.None);

        Assert.Equal(["华语", "欧美", "说唱", "R&B/Soul", "New Age", "下午茶", "治愈", "ACG", "00后"], resolved.Names);
        Assert.Null(resolved.Fallback);
        Assert.Equal("/api/playlist/catalogue", Assert.Single(server.Requests).Target);
        Assert.DoesNotContain(log.Written, l => l.Level >= LogLevel.Warning);
    }

    [Theory]
    [InlineData(200, """{"code":200,"categories":{}}""", "malformed: catalogue has no sub list")]
    [InlineData(200, """{"code":-460,"msg":"Cheating"}""", "blocked: code -460: Cheating")]
    [InlineData(404, "", "not found: HTTP 404 from site")]
    public async Task A_catalogue_that_cannot_be_read_falls_back_to_the_menu_with_one_warning_naming_its_url_and_why(int status, string body, string why)
    {
        await using var server = SiteServer(status, body, 200, Fixture.Read("discover-playlist-menu.html"));
        var (resolve, log) = Resolver(server.BaseUrl, "api");

        var resolved = await resolve.RunAsync(["all"], CancellationToken.None);

        Assert.Equal(MenuNames, resolved.Names);
        Assert.Null(resolved.Fallback);
        var warning = Assert.Single(log.Written, l => l.Level >= LogLevel.Warning).Text;
        Assert.Contains($"{server.BaseUrl}api/playlist/catalogue", warning);
        Assert.Contains(why, warning);
        Assert.Equal(["/api/playlist/catalogue", "/discover/playlist/"], server.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task When_neither_catalogue_nor_menu_can_be_read_the_known_list_is_crawled_with_a_warning_for_each()
    {
        await using var server = SiteServer(200, "<html>not json</html>", 503, "");
        var (resolve, log) = Resolver(server.BaseUrl, "api");

        var resolved = await resolve.RunAsync(["all"], CancellationToken.None);

        Assert.Equal(KnownNames, resolved.Names);
        Assert.Equal("blocked: HTTP 503 from site", resolved.Fallback);
        var warnings = log.Written.Where(l => l.Level >= LogLevel.Warning).Select(l => l.Text).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("api/playlist/catalogue", warnings[0]);
        Assert.Contains("malformed: invalid JSON", warnings[0]);
        Assert.Contains("discover/playlist/", warnings[1]);
        Assert.Contains("72 categories", warnings[1]);
    }

    [Fact]
    public async Task With_json_lists_an_unreachable_site_falls_back_to_the_known_list_at_once()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var (resolve, log) = Resolver(new Uri($"http://127.0.0.1:{port}/"), "api");

        var resolved = await resolve.RunAsync(["all"], CancellationToken.None);

        Assert.Equal(KnownNames, resolved.Names);
        Assert.StartsWith("unreachable", resolved.Fallback);
        Assert.NotNull(resolved.Unreachable);
        Assert.Contains("api/playlist/catalogue", Assert.Single(log.Written, l => l.Level >= LogLevel.Warning).Text);
    }

    [Fact]
    public void Crawler_categories_all_passes_the_settings_check()
    {
        Assert.True(new CrawlerOptionsValidator().Validate(null, new CrawlerOptions { Categories = "all" }).Succeeded);
        Assert.Equal(["all"], new CrawlerOptions { Categories = "all" }.CategoryList);
    }
}
