using System.Reflection;
using System.Text.RegularExpressions;
using FunctionsCrawler.Functions;
using Microsoft.Azure.Functions.Worker;
using Xunit;

namespace FunctionsCrawler.HostContract.Tests;

/// <summary>
/// On Azure the dataset's routes, the exports, the covers and the POST routes take a function key: no shared cache (a
/// proxy, a CDN) may keep what they answer. In both hosts each answers <c>Cache-Control: private</c>, never <c>public</c>:
/// the JSON and the exports <c>no-store</c>, a cover <c>max-age</c> a day (a browser may keep it).
/// </summary>
[Collection(StartedHosts.Name)]
public sealed partial class CachingContractTests(RouteHosts hosts) : IClassFixture<RouteHosts>
{
    public static TheoryData<string> Hosts => new() { HostUnderTest.WebJobs, HostUnderTest.Functions };

    /// <summary>The directives, in any order (HttpClient reorders them).</summary>
    private static string[] Directives(RouteAnswer answer) =>
        [.. (answer.Headers!.TryGetValue("Cache-Control", out var value) ? value : "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_listing_an_export_and_a_cover_are_kept_by_no_shared_cache(string host)
    {
        await CoverRouteContractTests.StoreAsync(hosts.Azurite, 4301, CoverRouteContractTests.Png, "image/png");
        var rap = "category=" + Uri.EscapeDataString("说唱");

        var listing = await hosts.CallAsync(host, new("GET", "playlists", Query: rap));
        Assert.Equal(200, listing.Status);
        Assert.Equal(["no-store", "private"], Directives(listing));

        foreach (var (export, type) in new[] { ("playlists/history.csv", "text/csv"), ("playlists/history.parquet", "application/vnd.apache.parquet") })
        {
            var file = await hosts.CallAsync(host, new("GET", export, Query: rap));
            Assert.True(file.Status == 200, $"{export}: {file.Status} {file.Body}");
            Assert.StartsWith(type, file.ContentType, StringComparison.Ordinal);
            Assert.Equal(["no-store", "private"], Directives(file));
        }

        var cover = await hosts.CallAsync(host, new("GET", "covers/{file}", new() { ["file"] = "4301.jpg" }));
        Assert.Equal(200, cover.Status);
        Assert.Equal(["max-age=86400", "private"], Directives(cover));
    }

    /// <summary>Every HTTP function of the Functions app that takes a function key on Azure: its method and route.</summary>
    private static List<(string Method, string Route)> KeyedRoutes() =>
    [
        .. typeof(FunctionsSetup).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()))
            .Where(t => t is { AuthLevel: AuthorizationLevel.Function })
            .SelectMany(t => t!.Methods!.Select(method => (method.ToUpperInvariant(), t.Route!))),
    ];

    private static readonly Dictionary<string, string> RouteValues = new()
    {
        ["playlistId"] = "42", ["file"] = "42.jpg", ["category"] = "说唱", ["crawlId"] = "20261201-030000-abcd",
    };

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Every_route_that_takes_a_key_answers_private_whatever_it_answers(string host)
    {
        var keyed = KeyedRoutes();
        Assert.Contains(("GET", "playlists"), keyed);
        Assert.Contains(("GET", "playlists.csv"), keyed);
        Assert.Contains(("GET", "covers/{file}"), keyed);
        Assert.Contains(("POST", "crawls"), keyed);
        foreach (var (method, route) in keyed)
        {
            var values = Placeholder().Matches(route).ToDictionary(m => m.Groups[1].Value, m => RouteValues[m.Groups[1].Value]);
            // A POST that does not say JSON is refused before any work: no crawl starts.
            var call = new RouteCall(method, route, values, ContentType: method == "POST" ? "text/plain" : null, Body: method == "POST" ? "{}" : null);
            var answer = await hosts.CallAsync(host, call);
            Assert.True(answer.Status < 500, $"{call}: {answer.Status} {answer.Body}");
            var directives = Directives(answer);
            Assert.True(directives.Contains("private") && !directives.Contains("public"), $"{call}: {answer.Status} Cache-Control: {string.Join(", ", directives)}");
        }
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task The_status_routes_and_the_page_are_not_kept_either(string host)
    {
        foreach (var call in new RouteCall[] { new("GET", "status"), new("GET", "crawls"), new("GET", "dashboard") })
            Assert.Equal(["no-store", "private"], Directives(await hosts.CallAsync(host, call)));
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
