using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FunctionsCrawler.Dashboard.Tests;

/// <summary>
/// The function key as a person on Azure gives it, in headless chromium against a server that requires it: after the
/// <c>#</c> of the dashboard's address, taken out of the address bar, kept for the tab and sent only as the
/// <c>x-functions-key</c> header — never in an address a server, its logs, a proxy or a Referer would see.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FunctionKeyBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    /// <summary>A key as Azure makes them, base64: its <c>+</c> must stay a <c>+</c>.</summary>
    private const string Key = "s3cret+Key/A==";

    private FakeStatusServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeStatusServer.StartAsync();
        _server.Serve(Statuses.Running() with { State = "completed", EtaSeconds = null });
        _server.ServeDataset(FixtureDataset.Rows());
        _server.ServeCrawls([Statuses.Running() with { CrawlId = "20261201-030000-ab12", State = "completed" }]);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>The thumbnails of the rows in view have loaded.</summary>
    private static async Task FirstThumbnailsShownAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('img.thumb')].slice(0, 5).every(i => i.complete && i.naturalWidth > 0)");

    /// <summary>The dataset's requests the server saw carried the key in the header, and no request's address held it.</summary>
    private void AssertKeyOnlyInHeaders(string? except = null)
    {
        var seen = _server.Requests;
        Assert.All(seen.Where(r => FakeStatusServer.IsKeyed(new(r.Target.Split('?')[0]))), r => Assert.Equal(Key, r.Key));
        Assert.All(seen.Where(r => r.Target != except), r =>
        {
            Assert.DoesNotContain("s3cret", Uri.UnescapeDataString(r.Target), StringComparison.Ordinal);
            Assert.DoesNotContain("code=", r.Target, StringComparison.Ordinal);
        });
    }

    private bool Saw(string targetStart) => _server.Requests.Any(r => r.Target.StartsWith(targetStart, StringComparison.Ordinal) && r.Key == Key);

    [Fact]
    public async Task A_key_after_the_hash_leaves_the_address_bar_goes_only_in_a_header_and_outlives_a_reload()
    {
        _server.RequireKey(Key);
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);
        await page.GotoAsync(_server.DashboardUrl + "#code=" + Key);
        await Expect(page.GetByTestId("playlist-row")).ToHaveCountAsync(50);
        Assert.Equal(_server.DashboardUrl.ToString(), page.Url);
        await FirstThumbnailsShownAsync(page);
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.images].every(i => !i.getAttribute('src') || i.src.startsWith('blob:'))"));

        // Exports: fetched with the header and saved, under the answer's name or the crawl's.
        var latest = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("csv-link").ClickAsync());
        Assert.Equal("playlists.csv", latest.SuggestedFilename);
        Assert.Equal(FakeStatusServer.Csv, await File.ReadAllTextAsync(await latest.PathAsync()));
        await page.GetByTestId("tab-crawls").ClickAsync();
        var ofCrawl = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("crawl-csv").ClickAsync());
        Assert.Equal("playlists-20261201-030000-ab12.csv", ofCrawl.SuggestedFilename);
        Assert.Equal(FakeStatusServer.Csv, await File.ReadAllTextAsync(await ofCrawl.PathAsync()));

        Assert.True(Saw("/api/playlists?"), "the listing was not asked for with the key");
        Assert.True(Saw("/api/playlists/stats"), "the figures were not asked for with the key");
        Assert.True(Saw("/api/covers/"), "no cover was asked for with the key");
        Assert.True(Saw("/api/playlists.csv?crawlId=20261201-030000-ab12"), "the crawl's export was not asked for with the key");
        AssertKeyOnlyInHeaders();

        // The same tab, reloaded: the key is still sent (sessionStorage), and still nowhere else.
        _server.ClearRequests();
        await page.ReloadAsync();
        await Expect(page.GetByTestId("playlist-row")).ToHaveCountAsync(50);
        await FirstThumbnailsShownAsync(page);
        Assert.True(Saw("/api/playlists?"), "after a reload the listing was not asked for with the key");
        AssertKeyOnlyInHeaders();
        Assert.Equal(_server.DashboardUrl.ToString(), page.Url);
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_key_in_the_query_is_taken_the_same_way_and_leaves_the_address_bar()
    {
        _server.RequireKey(Key);
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);
        var opened = "/api/dashboard?code=" + Uri.EscapeDataString(Key);
        await page.GotoAsync(new Uri(_server.BaseAddress, opened).ToString());
        await Expect(page.GetByTestId("playlist-row")).ToHaveCountAsync(50);
        Assert.Equal(_server.DashboardUrl.ToString(), page.Url);
        await FirstThumbnailsShownAsync(page);
        Assert.True(Saw("/api/covers/"), "no cover was asked for with the key");
        AssertKeyOnlyInHeaders(except: opened); // the page's own request carried it: why the help says #code=
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Without_a_key_no_header_is_sent_and_where_one_is_needed_the_page_says_to_give_it_after_the_hash_which_works()
    {
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);
        await page.GotoAsync(_server.DashboardUrl.ToString());
        await Expect(page.GetByTestId("playlist-row")).ToHaveCountAsync(50);
        await FirstThumbnailsShownAsync(page);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("csv-link").ClickAsync());
        Assert.Equal("playlists.csv", download.SuggestedFilename);
        Assert.All(_server.Requests, r => Assert.Null(r.Key));
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();

        _server.RequireKey(Key);
        var refused = await browser.NewPageAsync();
        await refused.GotoAsync(_server.DashboardUrl.ToString());
        await Expect(refused.GetByTestId("data-error")).ToHaveTextAsync(
            "The dataset needs a function key on Azure: open this page with #code=<function key> at the end of its address.");
        await Expect(refused.GetByTestId("table-caption")).ToHaveTextAsync("Could not load the playlists.");
        // An export refused is said on the page, not saved as the file.
        await refused.GetByTestId("data-error").EvaluateAsync("e => { e.textContent = ''; }");
        await refused.GetByTestId("csv-link").ClickAsync();
        await Expect(refused.GetByTestId("data-error")).ToContainTextAsync("#code=<function key>");

        // Doing as it says on the open page (a change of the address's fragment, not a new load) loads the dataset.
        await refused.GotoAsync(_server.DashboardUrl + "#code=" + Key);
        await Expect(refused.GetByTestId("playlist-row")).ToHaveCountAsync(50);
        await Expect(refused.GetByTestId("data-error")).ToBeHiddenAsync();
        Assert.Equal(_server.DashboardUrl.ToString(), refused.Url);
        await refused.Context.CloseAsync();
    }

    [Fact]
    public async Task Covers_load_as_they_come_into_view_and_paging_releases_the_ones_it_replaced()
    {
        var page = await browser.NewPageAsync(height: 500);
        var problems = new PageProblems(page);
        // Counts the object URLs the page holds: each should belong to an image on the page.
        await page.AddInitScriptAsync("""
            (() => {
              const create = URL.createObjectURL, revoke = URL.revokeObjectURL, live = new Set();
              URL.createObjectURL = (o) => { const u = create(o); live.add(u); return u; };
              URL.revokeObjectURL = (u) => { live.delete(u); revoke(u); };
              window.__liveUrls = () => live.size;
            })();
            """);
        await page.GotoAsync(_server.DashboardUrl.ToString());
        await Expect(page.GetByTestId("playlist-row")).ToHaveCountAsync(50);
        var withCover = FixtureDataset.Rows().OrderByDescending(r => r.Detail.PlayCount).Take(50).Count(r => r.Cover is not null);
        await Expect(page.Locator("img.thumb")).ToHaveCountAsync(withCover);
        await page.GetByTestId("table-caption").ScrollIntoViewIfNeededAsync();
        await FirstThumbnailsShownAsync(page);
        const string Loaded = "() => document.querySelectorAll('img[src^=\"blob:\"]').length";
        Assert.InRange(await page.EvaluateAsync<int>(Loaded), 5, withCover - 1); // the rows far below are not fetched yet

        await page.GetByTestId("prev-page").ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('img.thumb')].slice(-5).every(i => i.complete && i.naturalWidth > 0)");
        for (var i = 0; i < 3; i++)
        {
            await page.GetByTestId("next-page").ClickAsync();
            await Expect(page.GetByTestId("page-info")).ToHaveTextAsync("51–75 of 75");
            await page.GetByTestId("prev-page").ClickAsync();
            await Expect(page.GetByTestId("page-info")).ToHaveTextAsync("1–50 of 75");
        }
        await page.GetByTestId("tab-gallery").ClickAsync();
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#gallery img')].slice(0, 5).every(i => i.complete && i.naturalWidth > 0)");
        // Settled: every URL still held is an image's on the page; those of the rows paged away were released.
        await page.WaitForFunctionAsync($"() => window.__liveUrls() === ({Loaded})()");
        Assert.InRange(await page.EvaluateAsync<int>("() => window.__liveUrls()"), 6, 2 * withCover);
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }
}
