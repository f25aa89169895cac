using FunctionsCrawler.Progress;
using Xunit;

namespace FunctionsCrawler.Tests.Progress;

public sealed class CrawlProgressTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    private static CrawlProgress Started(params string[] categories)
    {
        var p = new CrawlProgress();
        p.Apply(ProgressEvent.Started("c1", categories, 0, T0));
        return p;
    }

    [Fact]
    public void A_batch_sent_again_is_applied_once()
    {
        var p = Started("说唱");
        var batch = new List<ProgressEvent>
        {
            ProgressEvent.PagesPlanned("说唱", 1, T0),
            ProgressEvent.PageDone("说唱", 0, 3, T0),
            ProgressEvent.PlaylistDone("说唱", 1, 1000, T0.AddSeconds(1)),
            ProgressEvent.PlaylistSkipped("说唱", 2, "gone", T0.AddSeconds(2)),
        };
        foreach (var e in batch) e.BatchId = "b1";
        p.ApplyAll(batch);
        p.ApplyAll(batch); // the signal was sent again after an unclear failure
        var s = p.Snapshot(T0.AddSeconds(3));
        Assert.Equal(new PagesFigures(1, 1), s.Pages);
        Assert.Equal(new PlaylistFigures(3, 1, 1, 0) { Detailed = 1 }, s.Playlists);
        Assert.Equal(new CoverFigures(1, 0, 1000), s.Covers);
        Assert.Equal("running", s.State);
    }

    [Fact]
    public void The_state_stays_small_however_many_playlists_finish()
    {
        var p = Started("说唱");
        p.Apply(ProgressEvent.PagesPlanned("说唱", 100, T0));
        for (var page = 0; page < 100; page++) p.Apply(ProgressEvent.PageDone("说唱", page, 1000, T0.AddMilliseconds(page)));
        for (var i = 0; i < 100_000; i++) p.Apply(ProgressEvent.PlaylistDone("说唱", i, 30_000, T0.AddMilliseconds(i * 10)));
        var json = System.Text.Json.JsonSerializer.Serialize(p);
        Assert.True(json.Length < 64 * 1024, $"state is {json.Length:N0} bytes at 100,000 playlists");
        Assert.Equal(100_000, p.Snapshot(T0.AddHours(1)).Playlists.Done);
    }

    [Fact]
    public void Rate_is_measured_over_the_recent_window_not_since_the_start()
    {
        var p = Started("说唱");
        p.Apply(ProgressEvent.PagesPlanned("说唱", 10, T0));
        // 60 playlists in the first minute, then nothing for ten minutes, then 10 in the last minute.
        for (var i = 0; i < 60; i++) p.Apply(ProgressEvent.PlaylistDone("说唱", i, 100, T0.AddSeconds(i)));
        Assert.Equal(60, p.RatePerMinute(T0.AddSeconds(60)), 0);
        Assert.Equal(0, p.RatePerMinute(T0.AddMinutes(10)));
        for (var i = 0; i < 10; i++) p.Apply(ProgressEvent.PlaylistDone("说唱", 100 + i, 100, T0.AddMinutes(10).AddSeconds(i * 6)));
        Assert.Equal(5, p.RatePerMinute(T0.AddMinutes(11)), 1); // 10 in the 2-minute window
    }

    [Theory]
    [InlineData(100, 50, 120)]   // steady: 100 left at 50/min → 2 min
    [InlineData(0, 50, 0)]       // nothing left
    [InlineData(10, 0, null)]    // no rate yet (or paused for the whole window): unknown
    public void Eta_is_remaining_work_over_the_recent_rate(double remaining, double rate, int? eta) =>
        Assert.Equal((long?)eta, CrawlProgress.EtaSeconds(remaining, rate));

    [Fact]
    public void Remaining_work_counts_unread_pages_at_the_average_page_size()
    {
        var p = Started("说唱");
        p.Apply(ProgressEvent.PagesPlanned("说唱", 4, T0));
        p.Apply(ProgressEvent.PageDone("说唱", 0, 30, T0));
        p.Apply(ProgressEvent.PlaylistDone("说唱", 1, 2000, T0));
        // 29 discovered and pending + 3 unread pages × 30 per page
        Assert.Equal(29 + 90, p.RemainingPlaylists());
        // 2000 stored + 119 remaining × 2000 average
        Assert.Equal(2000 + 119 * 2000, p.ProjectedBytes(p.RemainingPlaylists()));
    }

    [Fact]
    public void Paused_state_shows_until_the_pause_ends()
    {
        var p = Started("说唱");
        p.Apply(ProgressEvent.Paused(T0.AddSeconds(30), "code -460 Cheating", T0));
        var paused = p.Snapshot(T0.AddSeconds(10));
        Assert.Equal("paused", paused.State);
        Assert.Equal(T0.AddSeconds(30), paused.PausedUntil);
        Assert.Equal("running", p.Snapshot(T0.AddSeconds(31)).State);
    }

    [Fact]
    public void A_crawl_is_stalled_only_when_unfinished_unpaused_and_still_for_the_whole_spell()
    {
        var p = Started("说唱");
        p.Apply(ProgressEvent.PagesPlanned("说唱", 1, T0));
        p.Apply(ProgressEvent.PageDone("说唱", 0, 2, T0.AddSeconds(5)));
        var spell = TimeSpan.FromSeconds(90);
        Assert.False(p.IsStalled(T0.AddSeconds(60), spell));
        Assert.True(p.IsStalled(T0.AddSeconds(95), spell));

        p.Apply(ProgressEvent.Paused(T0.AddSeconds(200), "code 405", T0.AddSeconds(95)));
        Assert.False(p.IsStalled(T0.AddSeconds(150), spell)); // paused: waiting is expected

        p.Apply(ProgressEvent.Resumed(T0.AddSeconds(300)));
        Assert.False(p.IsStalled(T0.AddSeconds(350), spell)); // a resume starts a new spell
        Assert.True(p.IsStalled(T0.AddSeconds(390), spell));

        p.Apply(ProgressEvent.PlaylistDone("说唱", 1, null, T0.AddSeconds(400)));
        p.Apply(ProgressEvent.PlaylistDone("说唱", 2, null, T0.AddSeconds(401)));
        var tally = new Dictionary<string, CategoryCounts> { ["说唱"] = new() { PagesTotal = 1, PagesDone = 1, Discovered = 2, Done = 2 } };
        p.Apply(ProgressEvent.Ended(tally, 0, 0, 2, null, T0.AddSeconds(401)));
        Assert.False(p.IsStalled(T0.AddSeconds(9999), spell)); // completed
    }

    [Fact]
    public void A_crawl_failed_by_a_step_stays_failed_and_says_why()
    {
        var p = Started("说唱");
        p.Apply(ProgressEvent.PagesPlanned("说唱", 1, T0));
        p.Apply(ProgressEvent.CrawlFailed("no progress after its unfinished work was sent again 3 times", T0.AddMinutes(30)));
        p.Apply(ProgressEvent.PageDone("说唱", 0, 0, T0.AddMinutes(31)));

        var s = p.Snapshot(T0.AddMinutes(32));
        Assert.Equal("failed", s.State);
        Assert.Equal("no progress after its unfinished work was sent again 3 times", s.LastError);
        Assert.Null(s.CompletedAt);
    }

    [Fact]
    public void Stall_resumes_are_counted_until_work_moves_again()
    {
        var p = Started("说唱");
        p.Apply(ProgressEvent.PagesPlanned("说唱", 1, T0));
        p.Apply(ProgressEvent.Resumed(T0.AddMinutes(10)));
        p.Apply(ProgressEvent.Resumed(T0.AddMinutes(20)));
        Assert.Equal(2, p.StalledResumes);

        p.Apply(ProgressEvent.PageDone("说唱", 0, 3, T0.AddMinutes(21)));
        Assert.Equal(0, p.StalledResumes);
    }

    [Fact]
    public void A_state_saved_before_the_counters_still_loads()
    {
        // What an entity of the earlier model holds: per-item sets, covers missing as a set of ids.
        const string old = """{"CrawlId":"c0","Categories":["说唱"],"StartedAt":"2026-11-27T08:00:00+00:00","PagesTotal":{"说唱":3},"PagesDone":["说唱|0"],"Pending":["说唱|5"],"Done":["说唱|1"],"Skipped":{},"Failed":{},"CoverIds":[1],"CoverBytes":100,"CoversMissing":[2]}""";
        var p = System.Text.Json.JsonSerializer.Deserialize<CrawlProgress>(old)!;
        Assert.Equal("c0", p.CrawlId);
        Assert.Equal("running", p.Snapshot(T0).State);
    }

    [Fact]
    public void The_eta_counts_a_pause_still_to_run()
    {
        var p = Started("说唱");
        p.Apply(ProgressEvent.PagesPlanned("说唱", 1, T0));
        p.Apply(ProgressEvent.PageDone("说唱", 0, 35, T0));
        for (var i = 0; i < 5; i++) p.Apply(ProgressEvent.PlaylistDone("说唱", i, 100, T0.AddSeconds(i * 12))); // 5 a minute
        var running = p.Snapshot(T0.AddMinutes(1)).EtaSeconds!.Value;
        p.Apply(ProgressEvent.Paused(T0.AddMinutes(1).AddSeconds(90), "HTTP 503 from site", T0.AddMinutes(1)));
        Assert.Equal(running + 90, p.Snapshot(T0.AddMinutes(1)).EtaSeconds);
    }

    [Fact]
    public void The_live_counters_lag_until_the_item_tables_tally_replaces_them_when_the_crawl_ends()
    {
        var p = Started("说唱", "华语");
        p.Apply(ProgressEvent.PagesPlanned("说唱", 2, T0));
        p.Apply(ProgressEvent.PageDone("说唱", 0, 35, T0)); // page 1's signal died with its process
        p.Apply(ProgressEvent.PlaylistDone("说唱", 9, 100, T0.AddSeconds(30)));
        Assert.Equal("running", p.Snapshot(T0.AddMinutes(1)).State); // every signal in, yet only the item table judges

        var tally = new Dictionary<string, CategoryCounts>
        {
            ["说唱"] = new() { PagesTotal = 2, PagesDone = 2, Discovered = 40, Done = 39, Failed = 1 },
            ["华语"] = new() { PagesTotal = 1, PagesDone = 1, Discovered = 1, Done = 1 },
        };
        p.Apply(ProgressEvent.Ended(tally, 40, 4000, 0, null, T0.AddMinutes(1)));
        var s = p.Snapshot(T0.AddMinutes(2));
        Assert.Equal("completed", s.State);
        Assert.Equal(T0.AddMinutes(1), s.CompletedAt);
        Assert.Equal(60, s.ElapsedSeconds);
        Assert.Equal(new PagesFigures(3, 3), s.Pages);
        Assert.Equal(new PlaylistFigures(41, 40, 0, 1), s.Playlists);
        Assert.Equal(new CoverFigures(40, 0, 4000), s.Covers);
        Assert.Equal(0, s.EtaSeconds);
        Assert.Equal(new CategoryStatus("华语", 1, 1, 1, 1, 0, 0), s.ByCategory[1]);
        Assert.False(p.IsStalled(T0.AddDays(1), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_crawl_that_ended_failed_shows_why_and_stops_its_clock()
    {
        var p = Started("说唱");
        p.Apply(ProgressEvent.PageFailed("说唱", 0, "HTTP 500 from site", T0.AddSeconds(10)));
        var tally = new Dictionary<string, CategoryCounts> { ["说唱"] = new() { PagesTotal = 1, PagesFailed = 1, PlannedByFailure = true } };
        p.Apply(ProgressEvent.Ended(tally, 0, 0, 0, "every list page failed: page 1 of 说唱: HTTP 500 from site", T0.AddSeconds(20)));
        p.Apply(ProgressEvent.Error("late note", T0.AddMinutes(6)));
        var s = p.Snapshot(T0.AddMinutes(7));
        Assert.Equal("failed", s.State);
        Assert.Equal("every list page failed: page 1 of 说唱: HTTP 500 from site", s.LastError);
        Assert.Null(s.CompletedAt);
        Assert.Equal(20, s.ElapsedSeconds);
        Assert.Null(s.EtaSeconds);
        Assert.Equal(new PagesFigures(1, 1), s.Pages);

        p.Apply(ProgressEvent.FailedRequeued("说唱", 1, 0, T0.AddMinutes(8))); // its failed work goes back in
        Assert.Equal("running", p.Snapshot(T0.AddMinutes(8)).State);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(20)]
    public void Half_way_through_a_crawl_the_eta_is_within_15_percent_of_the_time_left(double requestsPerSecond)
    {
        // A crawl as the pacer runs it: 5 list pages (one request each), then 170 playlists of two requests each (detail
        // and cover); signals come in batches once a second, as the progress store sends them.
        const int pages = 5, perPage = 34, playlists = pages * perPage;
        var p = Started("说唱");
        var turn = TimeSpan.FromSeconds(1 / requestsPerSecond);
        var clock = T0;
        var due = new List<ProgressEvent>();
        void Flush(DateTimeOffset until)
        {
            foreach (var e in due.Where(e => e.At <= until).ToList()) { p.Apply(e); due.Remove(e); }
        }
        for (var page = 0; page < pages; page++)
        {
            clock += turn;
            if (page == 0) due.Add(ProgressEvent.PagesPlanned("说唱", pages, clock));
            due.Add(ProgressEvent.PageDone("说唱", page, perPage, clock));
        }
        var finishedAt = new List<DateTimeOffset>();
        for (var i = 0; i < playlists; i++)
        {
            clock += 2 * turn;
            finishedAt.Add(clock);
            due.Add(ProgressEvent.PlaylistDone("说唱", i, 20_000, clock));
        }
        var end = finishedAt[^1];
        // Half-way: the status read at the first whole second after half the playlists finished.
        var half = finishedAt[playlists / 2 - 1];
        var readAt = T0.AddSeconds(Math.Ceiling((half - T0).TotalSeconds));
        for (var second = T0.AddSeconds(1); second <= readAt; second = second.AddSeconds(1)) Flush(second);
        var eta = p.Snapshot(readAt).EtaSeconds!.Value;
        var left = (end - readAt).TotalSeconds;
        Assert.True(Math.Abs(eta - left) <= 0.15 * left, $"ETA {eta} s half-way, {left:0.#} s really left, at {requestsPerSecond} req/s");
    }

}
