using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FunctionsCrawler.Api;
using FunctionsCrawler.TestSupport;
using FunctionsCrawler.WebJobsHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FunctionsCrawler.HostContract.Tests;

/// <summary>One request to a route: its template (as both hosts declare it), route values, query and body.</summary>
public sealed record RouteCall(string Method, string Template, Dictionary<string, string>? Values = null, string? Query = null, string? ContentType = null, string? Body = null)
{
    public string Path
    {
        get
        {
            var path = Template;
            foreach (var (key, value) in Values ?? []) path = path.Replace("{" + key + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
            return "api/" + path + (Query is null ? "" : "?" + Query);
        }
    }

    public override string ToString() => $"{Method} /{Path}";
}

/// <summary>An answer as a client reads it, whichever host gave it (<see cref="Headers"/>: the response's own, by name).</summary>
public sealed record RouteAnswer(int Status, string? ContentType, string Body, string? RetryAfter, IReadOnlyDictionary<string, string>? Headers = null)
{
    public string Error => JsonDocument.Parse(Body).RootElement.GetProperty("error").GetString()!;
}

/// <summary>
/// Real storage (Azurite) and both hosts over it: the WebJobs host started in-process as <c>./run.sh</c> starts it, its
/// routes answering real HTTP on 127.0.0.1; the Functions app built with its own registrations, its HTTP functions
/// called as the worker calls them (no Functions host runs here: Core Tools cannot be installed).
/// </summary>
public class RouteHosts : IAsyncLifetime
{
    private WebApplication _webJobs = null!;
    private HttpClient _http = null!;
    private HostUnderTest _functions = null!;

    public Azurite Azurite { get; private set; } = null!;

    protected IServiceProvider WebJobsServices => _webJobs.Services;

    public virtual async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        var port = FreePort.Next();
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["NetEase:BaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}", // no route fetches from the site
            ["Urls"] = $"http://127.0.0.1:{port}",
        };
        string[] args = [.. settings.Select(s => $"--{s.Key}={s.Value}")];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Repo.Root });
        builder.AddCrawlerHost(args, Repo.Root);
        _webJobs = builder.Build();
        _webJobs.MapCrawlRoutes();
        _webJobs.MapDataRoutes();
        await _webJobs.StartAsync(); // the start-up check included: storage is created and answers
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(1) };
        _functions = HostUnderTest.Create(HostUnderTest.Functions, settings);
    }

    public async Task<RouteAnswer> CallAsync(string host, RouteCall call)
    {
        if (host == HostUnderTest.Functions)
        {
            var answer = await _functions.CallAsync(call.Method, call.Template, call.Values, call.Query, call.ContentType, call.Body);
            return new RouteAnswer(answer.Status, answer.ContentType, answer.Body, answer.Headers.RetryAfter.ToString() is { Length: > 0 } r ? r : null,
                answer.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        }
        using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Path);
        if (call.Body is not null || call.ContentType is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(call.Body ?? ""));
            if (call.ContentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(call.ContentType);
        }
        using var response = await _http.SendAsync(request);
        return new RouteAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync(),
            response.Headers.RetryAfter?.ToString(),
            response.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase));
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_functions is not null) await _functions.DisposeAsync();
        if (_webJobs is not null)
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await _webJobs.StopAsync(bound.Token); } catch (OperationCanceledException) { }
            await _webJobs.DisposeAsync();
        }
        if (Azurite is not null) await Azurite.DisposeAsync();
    }
}

/// <summary>The same hosts, their storage gone after they started (Azurite stopped: its ports refuse connections).</summary>
public sealed class RouteHostsWithoutStorage : RouteHosts
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // The triggers' listeners first: on storage that is gone, WebJobs ends the process (as a real host would be
        // restarted); the routes, which these tests are about, keep answering.
        await WebJobsServices.GetRequiredService<IJobHost>().StopAsync();
        await Azurite.DisposeAsync();
    }
}

/// <summary>One WebJobs host listening at a time: these classes start one each.</summary>
[CollectionDefinition(Name)]
public sealed class StartedHosts
{
    public const string Name = "started hosts";
}

/// <summary>Bad input on any route is a 4xx in one line naming the parameter, in both hosts; odd input is never a 5xx.</summary>
[Collection(StartedHosts.Name)]
public sealed class BadInputRouteTests(RouteHosts hosts) : IClassFixture<RouteHosts>
{
    public static TheoryData<string> Hosts => new() { HostUnderTest.WebJobs, HostUnderTest.Functions };

    private static readonly (RouteCall Call, int Status, string Names)[] BadInput =
    [
        (new("GET", "crawls", Query: "top=0"), 400, "top"),
        (new("GET", "crawls", Query: "continuation=%25%25"), 400, "continuation"),
        (new("GET", "playlists", Query: "top=lots"), 400, "top"),
        (new("GET", "playlists", Query: "sort=popularity"), 400, "sort"),
        (new("GET", "playlists", Query: "q=" + new string('q', 201)), 400, "q "),
        (new("GET", "playlists", Query: "continuation=not-a-continuation"), 400, "continuation"),
        (new("GET", "covers/{file}", new() { ["file"] = "1.jpg" }, Query: "size=huge"), 400, "size"),
        (new("GET", "playlists/{playlistId}/history", new() { ["playlistId"] = "forty-two" }), 400, "playlistId"),
        (new("GET", "playlists/history.parquet", Query: "category=" + Uri.EscapeDataString(new string('唱', 101))), 400, "category"),
        (new("GET", "playlists/history.csv", Query: "category=a%00b"), 400, "category"),
        (new("GET", "categories/{category}/changes", new() { ["category"] = "说唱" }, Query: "top=lots"), 400, "top"),
        (new("GET", "playlists/{playlistId}/tracks", new() { ["playlistId"] = "-42" }), 400, "playlistId"),
        (new("GET", "playlists/{playlistId}/tracks", new() { ["playlistId"] = "42" }, Query: "skip=-1"), 400, "skip"),
        (new("GET", "playlists/{playlistId}/tracks", new() { ["playlistId"] = "42" }, Query: "top=0"), 400, "top"),
        (new("GET", "tracks", Query: "top=lots"), 400, "top"),
        (new("GET", "tracks", Query: "q=" + new string('q', 201)), 400, "q "),
        (new("GET", "playlists/tracks.parquet", Query: "category=" + Uri.EscapeDataString(new string('唱', 101))), 400, "category"),
        (new("GET", "tracks.csv", Query: "category=a%00b"), 400, "category"),
        (new("POST", "crawls", ContentType: "application/json", Body: """{"maxPages":-1}"""), 400, "MaxPages"),
        (new("POST", "crawls", ContentType: "application/json", Body: """{"categories":"""), 400, "Body"),
        (new("POST", "crawls", ContentType: "text/plain", Body: "{}"), 415, "Content-Type"),
        // Hostile categories (issue 20): each a 400 naming the entry, before any storage or queue sees it.
        (new("POST", "crawls", ContentType: "application/json", Body: """{"categories":["说唱\nfoo"]}"""), 400, "categories[0] ('说唱␊foo')"),
        (new("POST", "crawls", ContentType: "application/json", Body: """{"categories":["说唱","a\u0000b"]}"""), 400, "categories[1] ('a␀b')"),
        (new("POST", "crawls", ContentType: "application/json", Body: """{"categories":["\u001b[31m说唱"]}"""), 400, "an escape (U+001B)"),
        (new("POST", "crawls", ContentType: "application/json", Body: $$"""{"categories":["{{new string('唱', 5000)}}"]}"""), 400, "it is 5000 characters long"),
        (new("POST", "crawls", ContentType: "application/json", Body: $$"""{"categories":[{{string.Join(",", Enumerable.Repeat("\"a\"", 10_000))}}]}"""), 400, "at most 100 categories, got 10000"),
        (new("POST", "crawls", ContentType: "application/json", Body: $$"""{"categories":["{{new string('a', 5 * 1024 * 1024)}}"]}"""), 413, "over 64 KiB"),
        (new("POST", "crawls/{crawlId}/requeue-failed", new() { ["crawlId"] = "20261201-030000-abcd" }, ContentType: "application/json", Body: new string(' ', 70_000) + "{}"), 413, "over 64 KiB"),
    ];

    /// <summary>Input no route expects: never a 5xx; a refusal is one line (a 404 for what cannot exist).</summary>
    private static readonly RouteCall[] OddInput =
    [
        new("GET", "crawls/{crawlId}", new() { ["crawlId"] = "a/b#c?d" }),
        new("GET", "crawls/{crawlId}", new() { ["crawlId"] = new string('x', 2000) }),
        new("GET", "playlists.csv", Query: "crawlId=%00%27"),
        new("GET", "playlists.parquet", Query: "crawlId=" + new string('9', 300)),
        new("GET", "playlists", Query: "category=" + Uri.EscapeDataString(new string('说', 300))),
        new("GET", "playlists/stats", Query: "category=a%2Fb%23c%3F"),
        new("GET", "playlists/{playlistId}/history", new() { ["playlistId"] = "42" }, Query: "category=" + Uri.EscapeDataString(new string('唱', 400))),
        new("GET", "playlists/{playlistId}/history", new() { ["playlistId"] = "99999999999999999999" }),
        new("GET", "playlists/history.csv", Query: "category=a%2Fb%23c%3F"),
        new("GET", "categories/{category}/changes", new() { ["category"] = "a/b#c?d" }),
        new("GET", "categories/{category}/changes", new() { ["category"] = new string('唱', 400) }, Query: "top=99999999999"),
        new("GET", "covers/{file}", new() { ["file"] = "..%2F1.jpg" }),
        new("GET", "playlists/{playlistId}/tracks", new() { ["playlistId"] = "99999999999999999999" }, Query: "skip=99999999999&top=99999999999"),
        new("GET", "tracks", Query: "category=a%2Fb%23c%3F&q=%00"),
        new("GET", "tracks.parquet", Query: "crawlId=" + new string('9', 300)),
        new("GET", "playlists/tracks.csv", Query: "crawlId=%00%27&category=a%2Fb%23c%3F"),
        new("POST", "crawls/{crawlId}/requeue-failed", new() { ["crawlId"] = "%00" }, ContentType: "application/json", Body: "{}"),
    ];

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Bad_input_is_a_4xx_in_one_line_naming_the_parameter(string host)
    {
        foreach (var (call, status, names) in BadInput)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var answer = await hosts.CallAsync(host, call);
            Assert.True(answer.Status == status, $"{call}: {answer.Status} {answer.Body}");
            if (call.Method == "POST") Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{call}: {clock.Elapsed}"); // refused before any work
            Assert.DoesNotContain('\n', answer.Body);
            Assert.Contains(names, answer.Error + " ", StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Odd_input_is_never_a_5xx(string host)
    {
        foreach (var call in OddInput)
        {
            var answer = await hosts.CallAsync(host, call);
            Assert.True(answer.Status < 500, $"{call}: {answer.Status} {answer.Body}");
            if (answer.Status < 400) continue; // e.g. an empty page of a category the dataset does not have
            Assert.DoesNotContain('\n', answer.Body);
            Assert.NotEmpty(answer.Error);
        }
    }
}

/// <summary>When storage does not answer, every route family answers 503 in one line with Retry-After, in both hosts.</summary>
[Collection(StartedHosts.Name)]
public sealed class StorageDownRouteTests(RouteHostsWithoutStorage hosts) : IClassFixture<RouteHostsWithoutStorage>
{
    public static TheoryData<string> Hosts => new() { HostUnderTest.WebJobs, HostUnderTest.Functions };

    private static readonly RouteCall[] EveryRouteFamily =
    [
        // status
        new("GET", "status"),
        new("GET", "crawls"),
        new("GET", "crawls/{crawlId}", new() { ["crawlId"] = "20261201-030000-abcd" }),
        new("POST", "crawls", ContentType: "application/json", Body: """{"categories":["说唱"]}"""),
        new("POST", "crawls/{crawlId}/requeue-failed", new() { ["crawlId"] = "20261201-030000-abcd" }, ContentType: "application/json", Body: "{}"),
        // exports
        new("GET", "playlists.csv"),
        new("GET", "playlists.parquet", Query: "crawlId=20261201-030000-abcd"),
        // data browser
        new("GET", "playlists", Query: "category=" + Uri.EscapeDataString("说唱")),
        new("GET", "playlists/stats"),
        // history
        new("GET", "playlists/{playlistId}/history", new() { ["playlistId"] = "42" }),
        new("GET", "playlists/history.parquet"),
        new("GET", "playlists/history.csv", Query: "category=" + Uri.EscapeDataString("说唱")),
        new("GET", "categories/{category}/changes", new() { ["category"] = "说唱" }),
        // tracks
        new("GET", "playlists/{playlistId}/tracks", new() { ["playlistId"] = "42" }),
        new("GET", "tracks", Query: "category=" + Uri.EscapeDataString("说唱")),
        new("GET", "playlists/tracks.parquet"),
        new("GET", "tracks.csv", Query: "crawlId=20261201-030000-abcd"),
        // covers
        new("GET", "covers/{file}", new() { ["file"] = "42.jpg" }),
        new("GET", "covers/{file}", new() { ["file"] = "42.jpg" }, Query: "size=thumb"),
    ];

    [Fact]
    public async Task Every_route_of_both_hosts_answers_503_in_one_line_with_retry_after()
    {
        // All at once: the storage SDK retries each call for about 25 s before it gives up.
        string[] both = [HostUnderTest.WebJobs, HostUnderTest.Functions];
        var calls = both.SelectMany(host => EveryRouteFamily.Select(call => (Host: host, Call: call))).ToList();
        var answers = await Task.WhenAll(calls.Select(c => hosts.CallAsync(c.Host, c.Call)));
        foreach (var ((host, call), answer) in calls.Zip(answers))
        {
            Assert.True(answer.Status == 503, $"{host}: {call}: {answer.Status} {answer.Body}");
            Assert.StartsWith("application/json", answer.ContentType);
            Assert.DoesNotContain('\n', answer.Body);
            Assert.StartsWith("Storage cannot be reached right now; try again shortly (", answer.Error);
            Assert.DoesNotContain("AccountKey", answer.Body);
            Assert.Equal(ApiResult.RetryAfterSeconds.ToString(), answer.RetryAfter);
        }
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Bad_input_is_still_named_before_storage_is_asked(string host)
    {
        var answer = await hosts.CallAsync(host, new("GET", "playlists", Query: "sort=popularity"));
        Assert.Equal(400, answer.Status);
        Assert.StartsWith("sort must be one of", answer.Error);
        Assert.Equal(200, (await hosts.CallAsync(host, new("GET", "dashboard"))).Status); // the page needs no storage
    }
}
