using System.Globalization;
using FunctionsCrawler.Progress;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FunctionsCrawler.Dashboard.Tests;

/// <summary>The dashboard's dataset view as a person uses it: in headless chromium, against a fake server holding hostile rows.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DataViewBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private FakeStatusServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeStatusServer.StartAsync();
        _server.Serve(Statuses.Running() with { State = "completed", EtaSeconds = null });
        _server.ServeDataset(FixtureDataset.Rows());
        _server.ServeCrawls(
        [
            Statuses.Running() with { CrawlId = "20261201-030000-ab12", State = "completed" },
            Statuses.Running() with { CrawlId = "20261124-030000-cd34", State = "completed", StartedAt = DateTimeOffset.UtcNow.AddDays(-7) },
        ]);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(IPage Page, PageProblems Problems)> OpenAsync(int width = 1200, int height = 900)
    {
        var page = await browser.NewPageAsync(width, height);
        var problems = new PageProblems(page);
        await page.GotoAsync(_server.DashboardUrl.ToString());
        await Expect(page.GetByTestId("playlist-row")).ToHaveCountAsync(50);
        return (page, problems);
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(BrowserFixture.ArtifactsDirectory, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    private static async Task<long[]> PlaysAsync(IPage page) =>
        [.. (await page.Locator("[data-testid=playlist-row] td.plays").AllTextContentsAsync())
            .Select(t => long.Parse(t, NumberStyles.AllowThousands, CultureInfo.GetCultureInfo("en-GB")))];

    private static async Task<bool> NoHorizontalScrollAsync(IPage page) =>
        await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    [Fact]
    public async Task Table_shows_the_most_played_first_and_pages_through_the_rest()
    {
        var (page, problems) = await OpenAsync();

        var plays = await PlaysAsync(page);
        Assert.Equal(plays.OrderDescending(), plays);
        await Expect(page.GetByTestId("playlist-name").First).ToHaveTextAsync(FixtureDataset.ScriptName);
        await Expect(page.GetByTestId("table-caption")).ToHaveTextAsync("75 playlists.");
        await Expect(page.GetByTestId("page-info")).ToHaveTextAsync("1–50 of 75");
        await Expect(page.Locator("th[data-sort=plays]")).ToHaveAttributeAsync("aria-sort", "descending");
        // Every row with a stored cover shows its thumbnail, loaded.
        await Expect(page.Locator("img.thumb")).ToHaveCountAsync(FixtureDataset.Rows().OrderByDescending(r => r.Detail.PlayCount).Take(50).Count(r => r.Cover is not null));
        await ScreenshotAsync(page, "data-table.png");

        await page.GetByTestId("next-page").ClickAsync();
        await Expect(page.GetByTestId("playlist-row")).ToHaveCountAsync(25);
        await Expect(page.GetByTestId("page-info")).ToHaveTextAsync("51–75 of 75");
        Assert.True((await PlaysAsync(page)).First() <= plays.Last());
        await Expect(page.GetByTestId("next-page")).ToBeDisabledAsync();
        await page.GetByTestId("prev-page").ClickAsync();
        await Expect(page.GetByTestId("page-info")).ToHaveTextAsync("1–50 of 75");

        // The thumbnails in view load; those further down as they are scrolled to.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('img.thumb')].slice(0, 5).every(i => i.complete && i.naturalWidth > 0)");
        await page.GetByTestId("prev-page").ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('img.thumb')].slice(-5).every(i => i.complete && i.naturalWidth > 0)");
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Search_finds_by_name_creator_or_tag_whatever_the_case()
    {
        var (page, problems) = await OpenAsync();
        var search = page.GetByTestId("search");

        await search.FillAsync("night run");
        await Expect(page.GetByTestId("playlist-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("playlist-name")).ToHaveTextAsync("夜跑 Night Run");

        await search.FillAsync("WORKOUT"); // a tag
        await Expect(page.GetByTestId("playlist-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("playlist-name")).ToHaveTextAsync("夜跑 Night Run");

        await search.FillAsync("<img"); // a creator's nickname
        await Expect(page.GetByTestId("playlist-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("playlist-name")).ToHaveTextAsync(FixtureDataset.FormulaName);

        await search.FillAsync("nothing like this");
        await Expect(page.GetByTestId("playlist-rows")).ToContainTextAsync("No playlist matches this search.");

        await search.FillAsync("");
        await page.GetByTestId("category-filter").SelectOptionAsync("流行");
        await Expect(page.GetByTestId("playlist-row")).ToHaveCountAsync(25);
        Assert.All(await page.Locator("[data-testid=playlist-row] td:nth-child(4)").AllTextContentsAsync(), c => Assert.Equal("流行", c));
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Hostile_names_show_as_text_and_never_run()
    {
        var (page, problems) = await OpenAsync();

        await Expect(page.GetByTestId("playlist-name").Nth(0)).ToHaveTextAsync(FixtureDataset.ScriptName);
        await Expect(page.GetByTestId("playlist-name").Nth(1)).ToHaveTextAsync(FixtureDataset.FormulaName);
        await Expect(page.GetByTestId("playlist-rows")).ToContainTextAsync(FixtureDataset.ImgCreator);
        await Expect(page.GetByTestId("playlist-rows")).ToContainTextAsync("<b>tag</b>");
        await Expect(page.Locator("script")).ToHaveCountAsync(1);
        await Expect(page.Locator("#rows b")).ToHaveCountAsync(0);
        await Expect(page.Locator("img[src=x]")).ToHaveCountAsync(0);

        await page.GetByTestId("tab-stats").ClickAsync();
        await Expect(page.GetByTestId("stats-top").First).ToContainTextAsync(FixtureDataset.ScriptName);
        await page.GetByTestId("tab-gallery").ClickAsync();
        await Expect(page.GetByTestId("gallery-item").First).ToContainTextAsync(FixtureDataset.ScriptName);
        await page.WaitForTimeoutAsync(300); // an injected image's onerror would have fired by now
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__pwned === 'undefined'"));
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Sorting_works_from_the_keyboard_with_a_visible_focus()
    {
        var (page, problems) = await OpenAsync();

        // Tab from the search box to the Name header: the table's sort buttons are in the tab order.
        await page.GetByTestId("search").FocusAsync();
        string? focused = null;
        for (var i = 0; i < 10 && focused != "Name"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            focused = await page.EvaluateAsync<string>("() => document.activeElement.textContent");
        }
        Assert.Equal("Name", focused);
        Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));

        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("th[data-sort=name]")).ToHaveAttributeAsync("aria-sort", "ascending");
        var names = await page.GetByTestId("playlist-name").AllTextContentsAsync();
        Assert.Equal(names.Order(StringComparer.Create(CultureInfo.GetCultureInfo("en-GB"), ignoreCase: true)), names);

        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("th[data-sort=name]")).ToHaveAttributeAsync("aria-sort", "descending");

        // Subscribed, high to low, then low to high.
        await page.Locator("th[data-sort=subscribed] button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("th[data-sort=subscribed]")).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(page.GetByTestId("playlist-name").First).ToHaveTextAsync("歌单 72");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("th[data-sort=subscribed]")).ToHaveAttributeAsync("aria-sort", "ascending");
        await Expect(page.Locator("th[data-sort=plays]")).ToHaveAttributeAsync("aria-sort", "none");
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Phone_width_shows_every_view_without_horizontal_scroll()
    {
        var longName = string.Concat(Enumerable.Repeat("华语说唱Rap", 15));
        _server.ServeDataset([.. FixtureDataset.Rows(), FixtureDataset.Row(9999, longName, 9_000_000, creator: new string('W', 90), tags: [new string('标', 60)])]);
        var (page, problems) = await OpenAsync(375, 800);

        await Expect(page.GetByTestId("playlist-name").First).ToHaveTextAsync(longName);
        Assert.True(await NoHorizontalScrollAsync(page), "the table scrolls sideways at 375 px");
        await ScreenshotAsync(page, "data-table-375.png");

        await page.GetByTestId("playlist-name").GetByText("夜跑 Night Run").ClickAsync();
        await Expect(page.GetByTestId("track-row")).ToHaveCountAsync(100);
        Assert.True(await NoHorizontalScrollAsync(page), "a playlist's tracks scroll sideways at 375 px");
        await page.GetByTestId("detail").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "data-tracks-375.png") });

        foreach (var tab in new[] { "gallery", "stats", "crawls" })
        {
            await page.GetByTestId("tab-" + tab).ClickAsync();
            if (tab == "stats") await Expect(page.GetByTestId("stats-category")).ToHaveCountAsync(2);
            if (tab == "crawls") await Expect(page.GetByTestId("crawl-row")).ToHaveCountAsync(2);
            Assert.True(await NoHorizontalScrollAsync(page), $"the {tab} view scrolls sideways at 375 px");
            await ScreenshotAsync(page, $"data-{tab}-375.png");
        }
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Categories_show_count_median_top_ten_and_a_log_scale_distribution()
    {
        var (page, problems) = await OpenAsync();
        await page.GetByTestId("tab-stats").ClickAsync();

        var cards = page.GetByTestId("stats-category");
        await Expect(cards).ToHaveCountAsync(2);
        var rap = cards.Filter(new() { Has = page.GetByTestId("stats-name").GetByText("说唱", new() { Exact = true }) });
        var rows = FixtureDataset.Rows().Where(r => r.Category == "说唱").ToList();
        var median = Data.PlaylistStats.Median([.. rows.Select(r => r.Detail.PlayCount).Order()])!.Value;
        await Expect(rap.GetByTestId("stats-figures")).ToContainTextAsync($"{rows.Count} playlists · median {Math.Round(median).ToString("N0", CultureInfo.GetCultureInfo("en-GB"))} plays");
        await Expect(rap.GetByTestId("stats-top").Locator("li")).ToHaveCountAsync(10);
        await Expect(rap.GetByTestId("stats-top").Locator("li").First).ToContainTextAsync("5,000,000");
        // One bar per decade from 0 plays up to the decade of 5,000,000 (10^6 … 10^7): 8 bars.
        await Expect(rap.GetByTestId("stats-bar")).ToHaveCountAsync(8);
        await ScreenshotAsync(page, "data-stats.png");
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Crawl_history_lists_each_crawl_with_its_export_links()
    {
        var (page, problems) = await OpenAsync();
        await page.GetByTestId("tab-crawls").ClickAsync();

        var rows = page.GetByTestId("crawl-row");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First).ToContainTextAsync("20261201-030000-ab12");
        await Expect(rows.First).ToContainTextAsync("completed");
        await Expect(rows.First).ToContainTextAsync("12 saved, 2 skipped, 1 failed of 40");
        await Expect(rows.First.GetByTestId("crawl-csv")).ToHaveAttributeAsync("href", "./playlists.csv?crawlId=20261201-030000-ab12");
        await Expect(rows.First.GetByRole(AriaRole.Link, new() { Name = "Parquet" })).ToHaveAttributeAsync("href", "./playlists.parquet?crawlId=20261201-030000-ab12");
        await ScreenshotAsync(page, "data-crawls.png");
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_playlist_shows_its_change_since_the_previous_crawl_and_covers_show_in_the_gallery()
    {
        var (page, problems) = await OpenAsync();

        await page.GetByTestId("playlist-name").Nth(2).ClickAsync();
        await Expect(page.GetByTestId("detail-title")).ToHaveTextAsync("夜跑 Night Run");
        await Expect(page.GetByTestId("history-change")).ToContainTextAsync("+1,234 plays");
        await Expect(page.GetByTestId("history-change")).ToContainTextAsync("−2 subscribed");
        await Expect(page.GetByTestId("detail")).ToBeFocusedAsync();

        await page.GetByTestId("tab-gallery").ClickAsync();
        await Expect(page.GetByTestId("gallery-item")).ToHaveCountAsync(await page.Locator("img.thumb").CountAsync());
        await Expect(page.GetByTestId("gallery-item").First.Locator("img")).ToHaveAttributeAsync("alt", FixtureDataset.ScriptName);
        // The open playlist's tracks put the gallery lower: scrolled to, as a reader would, its lazy covers load.
        await page.GetByTestId("gallery").ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#gallery img')].every(i => i.complete && i.naturalWidth > 0)");
        await ScreenshotAsync(page, "data-gallery.png");
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_playlists_songs_show_under_its_history_a_hundred_at_a_time_and_each_category_its_most_listed()
    {
        var (page, problems) = await OpenAsync();

        await page.GetByTestId("playlist-name").Nth(2).ClickAsync();
        await Expect(page.GetByTestId("detail-title")).ToHaveTextAsync("夜跑 Night Run");
        var rows = page.GetByTestId("track-row");
        await Expect(rows).ToHaveCountAsync(100);
        await Expect(page.GetByTestId("tracks-summary")).ToHaveTextAsync("120 tracks listed (the playlist says 23) · note: the list and trackCount differ by more than the site's lag.");
        // Names, artists, album, m:ss and the added date (en-GB, Asia/Shanghai); hostile names as text; an unknown song by its id.
        await Expect(rows.Nth(0).GetByTestId("track-name")).ToHaveTextAsync(FixtureDataset.ImgSong);
        await Expect(rows.Nth(0).GetByTestId("track-meta")).ToHaveTextAsync("<b>artist</b> · 专辑 0 · 3:00 · added 14/03/2025");
        await Expect(rows.Nth(1).GetByTestId("track-name")).ToHaveTextAsync(FixtureDataset.FormulaName);
        await Expect(rows.Nth(2).GetByTestId("track-meta")).ToHaveTextAsync("歌手 2 · 专辑 2 · 3:02 · added 16/03/2025");
        await Expect(rows.Nth(3).GetByTestId("track-meta")).ToHaveTextAsync("歌手 3 · 专辑 3 · 3:03");
        await Expect(rows.Nth(4).GetByTestId("track-meta")).ToHaveTextAsync("歌手 4 · 3:04 · added 18/03/2025");
        await Expect(rows.Nth(6).GetByTestId("track-name")).ToHaveTextAsync($"Unknown song (id {FixtureDataset.UnknownSong})");
        await page.GetByTestId("detail").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "data-tracks.png") });

        await page.GetByTestId("tracks-more").ClickAsync();
        await Expect(rows).ToHaveCountAsync(120);
        await Expect(rows.Last.GetByTestId("track-name")).ToHaveTextAsync("曲目 119");
        await Expect(page.GetByTestId("tracks-more")).ToBeHiddenAsync();

        await page.GetByTestId("tab-stats").ClickAsync();
        var rap = page.GetByTestId("stats-category").Filter(new() { Has = page.GetByTestId("stats-name").GetByText("说唱", new() { Exact = true }) });
        await rap.GetByTestId("top-tracks").Locator("summary").ClickAsync();
        var top = rap.GetByTestId("top-track");
        await Expect(top).ToHaveCountAsync(5);
        await Expect(top.First).ToHaveTextAsync("曲目 010 — 歌手 3 · in 3 playlists");
        await Expect(top.Nth(2)).ToHaveTextAsync(FixtureDataset.ImgSong + " — <b>artist</b> · in 1 playlists");

        await Expect(page.Locator("img[src=x]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#data b")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__pwned === 'undefined'"));
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_playlists_plays_over_time_are_a_line_chart_with_its_dates_and_plays_on_the_axes()
    {
        var (page, problems) = await OpenAsync();

        await page.GetByTestId("playlist-name").Nth(2).ClickAsync();
        await Expect(page.GetByTestId("detail-title")).ToHaveTextAsync("夜跑 Night Run");
        var chart = page.GetByTestId("history-chart");
        await Expect(chart).ToBeVisibleAsync();
        // One dot per crawl of the week, each with its date and plays; a line through them.
        await Expect(chart.GetByTestId("history-point")).ToHaveCountAsync(FakeStatusServer.HistoryDays);
        await Expect(chart.Locator("polyline")).ToHaveCountAsync(1);
        // The dates in the page's time zone (Asia/Shanghai) and locale (en-GB); plays from 600 below the latest up to it.
        await Expect(chart.GetByTestId("history-x-first")).ToHaveTextAsync("25 Nov 2026");
        await Expect(chart.GetByTestId("history-x-last")).ToHaveTextAsync("1 Dec 2026");
        await Expect(chart.GetByTestId("history-y-max")).ToHaveTextAsync("3,000,000");
        await Expect(chart.GetByTestId("history-y-min")).ToHaveTextAsync("2,999,400");
        await Expect(chart.GetByTestId("history-point").Last.Locator("title")).ToHaveTextAsync("1 Dec 2026: 3,000,000 plays");
        await Expect(chart).ToHaveAttributeAsync("aria-label", "Plays in 流行: 7 crawls from 25 Nov 2026 to 1 Dec 2026");
        // Later crawls sit further right, more plays higher up (SVG y grows downwards).
        var dots = await chart.GetByTestId("history-point").EvaluateAllAsync<double[][]>("ds => ds.map(d => [+d.getAttribute('cx'), +d.getAttribute('cy')])");
        Assert.Equal(dots.Select(d => d[0]).Order(), dots.Select(d => d[0]));
        Assert.Equal(dots.Select(d => d[1]).OrderDescending(), dots.Select(d => d[1]));
        await page.GetByTestId("detail").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "data-history-chart.png") });
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Each_category_shows_what_grew_came_and_went_since_the_previous_crawl()
    {
        var (page, problems) = await OpenAsync();
        await page.GetByTestId("tab-stats").ClickAsync();

        var rap = page.GetByTestId("stats-category").Filter(new() { Has = page.GetByTestId("stats-name").GetByText("说唱", new() { Exact = true }) });
        var panel = rap.GetByTestId("changes");
        await Expect(panel).ToHaveAttributeAsync("open", ""); // the first categories' panels open by themselves
        var expected = FakeStatusServer.Changes([.. FixtureDataset.Rows().Where(r => r.Category == "说唱").OrderByDescending(r => r.Detail.PlayCount)], 10);
        await Expect(panel.GetByTestId("changes-summary")).ToContainTextAsync("against 20261124-030000-cd34");
        await Expect(panel.GetByTestId("changes-summary")).ToContainTextAsync("2 new, 1 gone.");
        var grew = panel.GetByTestId("changes-grew").Locator("li");
        await Expect(grew).ToHaveCountAsync(expected.Grew.Count);
        var en = CultureInfo.GetCultureInfo("en-GB");
        for (var i = 0; i < expected.Grew.Count; i++)
        {
            var g = expected.Grew[i];
            await Expect(grew.Nth(i)).ToHaveTextAsync($"{g.Name} — +{g.Increase.ToString("N0", en)} plays ({g.From.ToString("N0", en)} → {g.To.ToString("N0", en)})");
        }
        await Expect(panel.GetByTestId("changes-new").Locator("li")).ToHaveCountAsync(2);
        await Expect(panel.GetByTestId("changes-new").Locator("li").First).ToContainTextAsync(expected.New[0].Name);
        // A hostile name is text, in every list.
        await Expect(panel.GetByTestId("changes-gone")).ToContainTextAsync(FakeStatusServer.GoneName + " — 4,321 plays when last listed");
        await Expect(panel.GetByTestId("changes-grew")).ToContainTextAsync(FixtureDataset.ScriptName);
        await Expect(page.Locator("img[src=x]")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "data-changes.png");

        // A name opens that playlist's history, chart included.
        await grew.Nth(0).GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByTestId("detail-title")).ToHaveTextAsync(expected.Grew[0].Name);
        await Expect(page.GetByTestId("history-chart")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__pwned === 'undefined'"));
        Assert.Empty(problems.All);
        await page.Context.CloseAsync();
    }
}
