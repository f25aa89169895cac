using System.Text.RegularExpressions;
using FunctionsCrawler.Progress;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FunctionsCrawler.Dashboard.Tests;

/// <summary>The dashboard in headless chromium against a fake status route the test controls.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture browser)
{
    private FakeStatusServer Server => browser.Server;

    /// <summary>Opens the dashboard on a fake clock: the test moves to the next poll with
    /// <see cref="NextPollAsync"/> instead of waiting 2 s of real time (one test below polls in real time).</summary>
    private async Task<IPage> OpenAsync(CrawlStatus? status, int width = 1100, string query = "")
    {
        if (status is null) Server.ServeNoCrawl(); else Server.Serve(status);
        var page = await browser.NewPageAsync(width);
        await page.Clock.InstallAsync();
        await page.GotoAsync(Server.DashboardUrl + query);
        return page;
    }

    /// <summary>Fires the page's 2 s poll timer; call it once the previous poll has shown its result.</summary>
    private static Task NextPollAsync(IPage page) => page.Clock.RunForAsync(2_000);

    [Fact]
    public async Task Page_loads_and_polls_every_2_s_without_console_errors_or_failed_requests()
    {
        var status = Statuses.Running();
        Server.Serve(status);
        var page = await browser.NewPageAsync(); // real clock: the page's own timer drives the polls
        var problems = new PageProblems(page);

        await page.GotoAsync(Server.DashboardUrl.ToString());
        await Expect(page.GetByTestId("pages-done")).ToHaveTextAsync("3");
        await Expect(page.GetByTestId("updated")).Not.ToHaveTextAsync("never");

        Server.Serve(status with { Pages = new PagesFigures(10, 4) });
        await Expect(page.GetByTestId("pages-done")).ToHaveTextAsync("4", new() { Timeout = 4_000 });

        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Known_state_shows_its_figures()
    {
        var page = await OpenAsync(Statuses.Running());

        await Expect(page.GetByTestId("state")).ToHaveTextAsync("running");
        await Expect(page.GetByTestId("pages-done")).ToHaveTextAsync("3");
        await Expect(page.GetByTestId("pages-total")).ToHaveTextAsync("10");
        await Expect(page.GetByTestId("pages-percent")).ToHaveTextAsync("30%");
        // Finished = done + skipped + failed, of discovered.
        await Expect(page.GetByTestId("playlists-done")).ToHaveTextAsync("15");
        await Expect(page.GetByTestId("playlists-discovered")).ToHaveTextAsync("40");
        await Expect(page.GetByTestId("playlists-saved")).ToHaveTextAsync("12");
        await Expect(page.GetByTestId("playlists-skipped")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("playlists-failed")).ToHaveTextAsync("1");
        // Where the saved rows came from and what changed since the previous crawl: what a daily refresh is about.
        await Expect(page.GetByTestId("playlists-sources")).ToHaveTextAsync("9 from the lists · 3 in detail · 4 new · 5 gone");
        await Expect(page.GetByTestId("elapsed")).ToHaveTextAsync("12m34s");
        await Expect(page.GetByTestId("eta")).ToHaveTextAsync("1h02m");
        await Expect(page.GetByTestId("rate")).ToHaveTextAsync("12.5");
        await Expect(page.GetByTestId("bytes")).ToHaveTextAsync("5.2 MiB");
        await Expect(page.GetByTestId("projected")).ToHaveTextAsync("3.0 GiB");
        await Expect(page.GetByTestId("paused-banner")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("connection-lost")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("errors")).ToContainTextAsync("503 Service Unavailable");

        var rows = page.GetByTestId("category-row");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0).GetByTestId("category-name")).ToHaveTextAsync("说唱");
        await Expect(rows.Nth(0).GetByTestId("category-pages")).ToHaveTextAsync("2 / 6");
        await Expect(rows.Nth(0).GetByTestId("category-playlists")).ToHaveTextAsync("12 / 30");
        await Expect(rows.Nth(1).GetByTestId("category-name")).ToHaveTextAsync("流行");

        // The bars follow the figures.
        Assert.Equal("30", await page.Locator("#pages-bar").GetAttributeAsync("aria-valuenow"));
        Assert.Equal("38", await page.Locator("#playlists-bar").GetAttributeAsync("aria-valuenow"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Figures_update_on_the_next_poll()
    {
        var status = Statuses.Running();
        var page = await OpenAsync(status);
        await Expect(page.GetByTestId("pages-done")).ToHaveTextAsync("3");

        Server.Serve(status with
        {
            Pages = new PagesFigures(10, 7),
            Playlists = new PlaylistFigures(90, 60, 3, 2),
            EtaSeconds = 95,
            Covers = new CoverFigures(60, 0, 1536),
        });
        await NextPollAsync(page);

        await Expect(page.GetByTestId("pages-done")).ToHaveTextAsync("7");
        await Expect(page.GetByTestId("playlists-done")).ToHaveTextAsync("65");
        await Expect(page.GetByTestId("playlists-discovered")).ToHaveTextAsync("90");
        await Expect(page.GetByTestId("eta")).ToHaveTextAsync("1m35s");
        await Expect(page.GetByTestId("bytes")).ToHaveTextAsync("1.5 KiB");

        Server.Serve(status with { State = "completed", CompletedAt = DateTimeOffset.UtcNow, EtaSeconds = null, Pages = new PagesFigures(10, 10) });
        await NextPollAsync(page);
        await Expect(page.GetByTestId("state")).ToHaveTextAsync("completed");
        await Expect(page.GetByTestId("eta")).ToHaveTextAsync("done");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Hostile_text_from_the_site_shows_as_text_and_never_runs()
    {
        const string script = "<script>window.__pwned=2</script>";
        var page = await OpenAsync(Statuses.Running() with
        {
            Categories = [Statuses.Hostile],
            ByCategory = [new CategoryStatus(Statuses.Hostile, 5, 1, 3, 1, 0, 0)],
            RecentErrors = [new CrawlError(DateTimeOffset.UtcNow, Statuses.Hostile), new CrawlError(DateTimeOffset.UtcNow.AddSeconds(-5), script)],
            LastError = Statuses.Hostile,
        });

        await Expect(page.GetByTestId("category-name")).ToHaveTextAsync(Statuses.Hostile);
        await Expect(page.GetByTestId("crawl-categories")).ToContainTextAsync(Statuses.Hostile);
        await Expect(page.GetByTestId("errors")).ToContainTextAsync(Statuses.Hostile);
        await Expect(page.GetByTestId("errors")).ToContainTextAsync(script);
        await Expect(page.Locator("img")).ToHaveCountAsync(0);
        await Expect(page.Locator("script")).ToHaveCountAsync(1);
        await page.WaitForTimeoutAsync(300); // a failed image load would have fired onerror by now
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__pwned === 'undefined'"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Paused_crawl_shows_the_banner_with_local_resume_time_and_reason()
    {
        const string reason = "HTTP 429 from music.163.com <b>slow down</b>";
        var until = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
        var page = await OpenAsync(Statuses.Running() with { State = "paused", PausedUntil = until, PauseReason = reason, EtaSeconds = null });

        var banner = page.GetByTestId("paused-banner");
        await Expect(banner).ToBeVisibleAsync();
        await Expect(page.GetByTestId("state")).ToHaveTextAsync("paused");
        // The browser runs in Asia/Shanghai: the banner shows that local time, not UTC.
        var local = TimeZoneInfo.ConvertTime(until, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(page.GetByTestId("paused-until")).ToContainTextAsync(local);
        await Expect(page.GetByTestId("paused-reason")).ToHaveTextAsync(reason);
        await Expect(banner).ToContainTextAsync(new Regex(@"\(in \d+m\d\ds\)"));
        await Expect(page.GetByTestId("eta")).ToHaveTextAsync("—");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "dashboard-paused.png") });

        Server.Serve(Statuses.Running());
        await NextPollAsync(page);
        await Expect(banner).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task No_crawl_yet_on_404_until_one_starts()
    {
        var page = await OpenAsync(null);

        await Expect(page.GetByTestId("no-crawl")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("no-crawl")).ToContainTextAsync("No crawl yet");
        await Expect(page.GetByTestId("pages-done")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("connection-lost")).ToBeHiddenAsync();

        Server.Serve(Statuses.Running());
        await NextPollAsync(page);
        await Expect(page.GetByTestId("pages-done")).ToHaveTextAsync("3");
        await Expect(page.GetByTestId("no-crawl")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Connection_lost_notice_shows_while_status_cannot_be_fetched()
    {
        var page = await OpenAsync(Statuses.Running());
        await Expect(page.GetByTestId("pages-done")).ToHaveTextAsync("3");

        await page.RouteAsync("**/api/status", route => route.AbortAsync("connectionrefused"));
        await NextPollAsync(page);
        await Expect(page.GetByTestId("connection-lost")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("pages-done")).ToHaveTextAsync("3"); // the last figures stay

        await page.UnrouteAllAsync();
        await NextPollAsync(page);
        await Expect(page.GetByTestId("connection-lost")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Crawl_query_follows_that_crawl()
    {
        Server.ServeCrawl(Statuses.Running() with { CrawlId = "crawl-42", Pages = new PagesFigures(8, 5) });
        var page = await OpenAsync(Statuses.Running(), query: "?crawl=crawl-42");

        await Expect(page.GetByTestId("crawl-id")).ToHaveTextAsync("Crawl crawl-42");
        await Expect(page.GetByTestId("pages-done")).ToHaveTextAsync("5");
        await Expect(page.GetByTestId("pages-total")).ToHaveTextAsync("8");

        await page.GotoAsync(Server.DashboardUrl + "?crawl=nope");
        await Expect(page.GetByTestId("no-crawl")).ToContainTextAsync("No crawl with this id");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Phone_width_has_no_horizontal_scroll()
    {
        var longWord = string.Concat(Enumerable.Repeat("华语说唱Rap", 12));
        var page = await OpenAsync(Statuses.Running() with
        {
            CrawlId = "crawl-" + new string('x', 80),
            Categories = [longWord, "流行"],
            ByCategory = [new CategoryStatus(longWord, null, 0, 0, 0, 0, 0), .. Statuses.Running().ByCategory],
            RecentErrors = [new CrawlError(DateTimeOffset.UtcNow, "GET https://music.163.com/discover/playlist/?cat=" + new string('%', 120) + " failed")],
            ProjectedBytes = 1_234_567_890_123,
        }, width: 375);

        await Expect(page.GetByTestId("category-row")).ToHaveCountAsync(3);
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 375,
            "the page scrolls sideways at 375 px");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "dashboard-375.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Throughput_chart_adds_one_sample_per_poll()
    {
        double[] rates = [4.0, 9.5, 14.0, 18.5, 17.0, 21.5, 25.0, 23.5, 28.0, 31.5, 30.0, 34.5];
        var status = Statuses.Running() with
        {
            RecentErrors =
            [
                new CrawlError(DateTimeOffset.UtcNow.AddMinutes(-6), "GET /playlist?id=2981 → 503 Service Unavailable (retry 1 of 5)"),
                new CrawlError(DateTimeOffset.UtcNow.AddMinutes(-1), "cover https://p1.music.126.net/…/109951.jpg: timed out after 30 s"),
            ],
        };
        var page = await OpenAsync(status with { RatePerMinute = rates[0] });
        var caption = page.GetByTestId("chart-caption");
        await Expect(caption).ToContainTextAsync(new Regex("now 4.0/min$"));

        for (var i = 1; i < rates.Length; i++)
        {
            Server.Serve(status with
            {
                RatePerMinute = rates[i],
                ElapsedSeconds = status.ElapsedSeconds + (2 * i),
                Pages = new PagesFigures(10, Math.Min(10, 3 + (i / 3))),
            });
            await NextPollAsync(page);
            await Expect(caption).ToContainTextAsync(new Regex($"now {rates[i].ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}/min$"));
        }

        var points = await page.Locator("#chart polyline").GetAttributeAsync("points");
        Assert.Equal(rates.Length, points!.Split(' ').Length);
        await Expect(page.GetByTestId("chart-max")).ToHaveTextAsync("50/min");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "dashboard.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
