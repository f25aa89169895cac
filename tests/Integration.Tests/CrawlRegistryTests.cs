using FunctionsCrawler.TestSupport;
using System.Collections.Concurrent;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// The crawl registry and the start rules on a real Azurite, in process: paging newest first, point reads,
/// overlapping crawls refused, --new cancelling, and the stall check leaving finished crawls alone.
/// The status entity is an in-memory sink fed the same events the steps signal.
/// </summary>
[Collection(nameof(InProcessStorage))]
public sealed class CrawlRegistryTests(AzuriteFixture azurites)
{
    /// <summary>Real time, moved on by <see cref="Offset"/>.</summary>
    private sealed class ShiftedTime : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    private sealed class Lines<T> : ILogger<T>
    {
        public ConcurrentQueue<(LogLevel Level, string Text)> Written { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Written.Enqueue((logLevel, formatter(state, exception)));
    }

    private sealed class Registry
    {
        public required StorageClients Storage { get; init; }
        public required CrawlTable Crawls { get; init; }
        public required CrawlItemTable Items { get; init; }
        public required CrawlQueues Queues { get; init; }
        public required InMemoryStatusEntities Sink { get; init; }
        public required CrawlQueries Queries { get; init; }
        public required CancelledCrawls Cancelled { get; init; }
        public required StartCrawl Start { get; init; }
        public required Lines<StartCrawl> StartLog { get; init; }
        public required ShiftedTime Time { get; init; }

        public Task<CrawlInfo> StartAsync(params string[] categories) => Start.RunAsync(categories, 1, "test", CancellationToken.None);

        public required FinishCrawl Finish { get; init; }

        /// <summary>Each category read as one empty page, as the list step records it; then the judge ends the crawl.</summary>
        public async Task CompleteAsync(CrawlInfo crawl)
        {
            var now = Time.GetUtcNow();
            foreach (var category in crawl.Categories)
            {
                await Items.PlanAsync(crawl.CrawlId, category, 1, CancellationToken.None);
                await Items.FinishPageAsync(crawl.CrawlId, category, 0, [], now, CancellationToken.None);
            }
            Assert.True(await Finish.RunAsync(crawl.CrawlId, CancellationToken.None));
        }

        public async Task<string> StateAsync(string crawlId) => (await Queries.FindStatusAsync(crawlId, CancellationToken.None))!.State;
    }

    private static async Task<Registry> RegistryAsync(StorageAccount azurite, string configuredCategories = "说唱", string siteUrl = "http://127.0.0.1:9/")
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageClients.ConnectionName] = azurite.ConnectionString })
            .Build();
        var storage = StorageClients.FromConfiguration(configuration);
        var time = new ShiftedTime();
        var crawls = new CrawlTable(storage);
        var queues = new CrawlQueues(storage);
        await crawls.EnsureCreatedAsync(CancellationToken.None);
        await queues.EnsureCreatedAsync(CancellationToken.None);
        var sink = new InMemoryStatusEntities();
        var items = new CrawlItemTable(storage);
        await items.EnsureCreatedAsync(CancellationToken.None);
        // Never asked here (no 'all'): a site that is not there.
        var site = new NetEaseOptions { BaseUrl = siteUrl };
        var queries = new CrawlQueries(crawls, items, queues, sink, Options.Create(site), time);
        var cancelled = new CancelledCrawls(crawls, time);
        var client = new NetEaseClient(new HttpClient(), new HostRateLimiter(100, new SitePushback(Options.Create(site), time), time),
            Options.Create(site), time, NullLogger<NetEaseClient>.Instance);
        var log = new Lines<StartCrawl>();
        var start = new StartCrawl(crawls, items, queues, sink, queries, new ResolveCategories(client, NullLogger<ResolveCategories>.Instance), cancelled,
            Options.Create(new CrawlerOptions { Categories = configuredCategories }), Options.Create(site), time, log);
        return new Registry
        {
            Storage = storage, Crawls = crawls, Items = items, Queues = queues, Sink = sink, Queries = queries, Cancelled = cancelled,
            Start = start, StartLog = log, Time = time, Finish = new FinishCrawl(crawls, items, new PlaylistHistoryTable(storage, items), new PreviousCrawl(crawls, items), sink, time, NullLogger<FinishCrawl>.Instance),
        };
    }

    [Fact]
    public async Task Crawls_are_listed_newest_first_in_pages_and_the_latest_and_one_crawl_are_direct_reads()
    {
        var azurite = azurites.NewAccount();
        var registry = await RegistryAsync(azurite);
        var first = DateTimeOffset.Parse("2026-11-01T00:00:00Z");
        var ids = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            var at = first.AddMinutes(i);
            var crawl = new CrawlInfo(CrawlTable.NewCrawlId(at), [$"c{i}"], 1, at, "test");
            await registry.Crawls.AddAsync(crawl, CancellationToken.None);
            ids.Add(crawl.CrawlId);
        }
        ids.Reverse(); // newest first
        // A row from before the time index: read by id, not listed.
        var old = new Azure.Data.Tables.TableEntity("crawl", "20250101-000000-abcd") { ["Categories"] = "说唱", ["MaxPages"] = 0, ["StartedAt"] = first.AddYears(-1), ["StartedBy"] = "cli" };
        await registry.Storage.Tables.GetTableClient(CrawlTable.Name).AddEntityAsync(old);

        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await registry.Queries.ListAsync("10", continuation, CancellationToken.None);
            Assert.True(page.Crawls.Count <= 10);
            seen.AddRange(page.Crawls.Select(c => c.CrawlId));
            continuation = page.Continuation;
            pages++;
        } while (continuation is not null);
        Assert.Equal(3, pages);
        Assert.Equal(ids, seen);

        Assert.Equal(20, (await registry.Queries.ListAsync(null, null, CancellationToken.None)).Crawls.Count);
        Assert.Equal(20, (await registry.Queries.ListAsync("500", null, CancellationToken.None)).Crawls.Count); // anonymous: capped at 20
        Assert.NotNull((await registry.Queries.ListAsync("25", null, CancellationToken.None)).Continuation); // 25 reads as 20: 5 more
        Assert.Equal(ids[0], (await registry.Crawls.LatestAsync(CancellationToken.None))!.CrawlId);
        Assert.Equal(ids[0], (await registry.Queries.FindStatusAsync(null, CancellationToken.None))!.CrawlId);
        Assert.Equal(["c7"], (await registry.Crawls.GetAsync(ids[17], CancellationToken.None))!.Categories);
        Assert.Equal(["说唱"], (await registry.Crawls.GetAsync("20250101-000000-abcd", CancellationToken.None))!.Categories);
        Assert.Null(await registry.Crawls.GetAsync("t-0", CancellationToken.None));
        Assert.Equal(5, (await registry.Crawls.ListSinceAsync(first.AddMinutes(20), CancellationToken.None)).Count);

        foreach (var (top, token) in new[] { ("0", null), ("-3", null), ("ten", null), ("5", "nope"), ("5", "eC0x"), ("5", "%%%") })
            await Assert.ThrowsAsync<CrawlQueryException>(() => registry.Queries.ListAsync(top, token, CancellationToken.None));
    }

    [Fact]
    public async Task A_crawl_of_a_category_an_unfinished_crawl_covers_is_refused_naming_that_crawl()
    {
        var azurite = azurites.NewAccount();
        var registry = await RegistryAsync(azurite);
        var running = await registry.StartAsync("说唱", "华语");

        var refused = await Assert.ThrowsAsync<CrawlOverlapException>(() => registry.StartAsync("华语", "欧美"));
        Assert.Equal(running.CrawlId, refused.CrawlId);
        Assert.Contains(running.CrawlId, refused.Message);
        Assert.Contains("华语", refused.Message);
        Assert.Equal(["华语"], refused.Running.Overlap);

        var other = await registry.StartAsync("欧美"); // no category in common
        Assert.Equal(other.CrawlId, (await registry.Crawls.LatestAsync(CancellationToken.None))!.CrawlId);
        Assert.Equal(CrawlStates.Running, await registry.StateAsync(running.CrawlId));
    }

    [Fact]
    public async Task A_completed_crawl_does_not_refuse_the_next()
    {
        var azurite = azurites.NewAccount();
        var registry = await RegistryAsync(azurite);
        var done = await registry.StartAsync("说唱");
        await registry.CompleteAsync(done);
        Assert.Equal(CrawlStates.Completed, await registry.StateAsync(done.CrawlId));

        var next = await registry.StartAsync("说唱");
        Assert.NotEqual(done.CrawlId, next.CrawlId);
    }

    [Fact]
    public async Task New_cancels_the_unfinished_crawl_which_then_reads_cancelled_and_the_new_one_is_in_the_way_after()
    {
        var azurite = azurites.NewAccount();
        var registry = await RegistryAsync(azurite);
        var old = await registry.StartAsync("说唱");
        Assert.False(await registry.Cancelled.IsCancelledAsync(old.CrawlId));

        var replacement = await registry.Start.RunAsync(["说唱", "华语"], 1, "test", OverlapPolicy.CancelUnfinished, CancellationToken.None);

        var cancelled = (await registry.Crawls.GetAsync(old.CrawlId, CancellationToken.None))!;
        Assert.True(cancelled.IsCancelled);
        Assert.Equal(replacement.CrawlId, cancelled.ReplacedBy);
        Assert.NotNull(cancelled.CancelledAt);
        Assert.Equal(CrawlStates.Cancelled, await registry.StateAsync(old.CrawlId));
        Assert.Equal(CrawlStates.Running, await registry.StateAsync(replacement.CrawlId));
        Assert.True(await registry.Cancelled.IsCancelledAsync(old.CrawlId));
        Assert.True(await new CancelledCrawls(registry.Crawls, TimeProvider.System).IsCancelledAsync(old.CrawlId)); // from the table
        Assert.False(await registry.Cancelled.IsCancelledAsync(replacement.CrawlId));
        Assert.False(await registry.Cancelled.IsCancelledAsync("20990101-000000-none"));

        // The list shows both, the cancelled one as cancelled; the next overlap names the replacement.
        var listed = (await registry.Queries.ListAsync(null, null, CancellationToken.None)).Crawls;
        Assert.Equal([(replacement.CrawlId, CrawlStates.Running), (old.CrawlId, CrawlStates.Cancelled)], listed.Select(s => (s.CrawlId, s.State)));
        Assert.Equal(replacement.CrawlId, (await Assert.ThrowsAsync<CrawlOverlapException>(() => registry.StartAsync("说唱"))).CrawlId);

        // Cancelling again changes nothing.
        var again = await registry.Crawls.CancelAsync(old.CrawlId, DateTimeOffset.UtcNow.AddHours(1), "other", CancellationToken.None);
        Assert.Equal(cancelled.CancelledAt, again!.CancelledAt);
        Assert.Equal(replacement.CrawlId, again.ReplacedBy);
    }

    [Fact]
    public async Task The_run_choice_resumes_the_same_categories_refuses_an_overlap_and_cancels_with_new()
    {
        var azurite = azurites.NewAccount();
        var registry = await RegistryAsync(azurite);
        var running = await registry.StartAsync("说唱", "华语");

        var same = Assert.IsType<RunChoice.Resume>(await registry.Queries.ChooseRunAsync(["华语", "说唱"], false, false, CancellationToken.None));
        Assert.Equal(running.CrawlId, same.Crawl.CrawlId);
        var refuse = Assert.IsType<RunChoice.Refuse>(await registry.Queries.ChooseRunAsync(["说唱"], false, false, CancellationToken.None));
        Assert.Equal(running.CrawlId, refuse.Running.Crawl.CrawlId);
        Assert.Contains("--new", refuse.Message);
        var fresh = Assert.IsType<RunChoice.Start>(await registry.Queries.ChooseRunAsync(["说唱"], true, false, CancellationToken.None));
        Assert.Equal(running.CrawlId, Assert.Single(fresh.Cancelling).Crawl.CrawlId);
        Assert.Empty(Assert.IsType<RunChoice.Start>(await registry.Queries.ChooseRunAsync(["欧美"], false, false, CancellationToken.None)).Cancelling);
    }

    [Fact]
    public async Task The_timer_skips_an_overlapping_crawl_with_one_log_line()
    {
        var azurite = azurites.NewAccount();
        var registry = await RegistryAsync(azurite, configuredCategories: "说唱,华语");
        var running = await registry.StartAsync("华语");

        Assert.Null(await registry.Start.RunOnScheduleAsync(CancellationToken.None));
        var line = Assert.Single(registry.StartLog.Written, l => l.Level == LogLevel.Warning);
        Assert.Contains(running.CrawlId, line.Text);
        Assert.Equal(running.CrawlId, (await registry.Crawls.LatestAsync(CancellationToken.None))!.CrawlId);

        await registry.CompleteAsync(running);
        Assert.Equal(["说唱", "华语"], (await registry.Start.RunOnScheduleAsync(CancellationToken.None))!.Categories);
    }

    [Fact]
    public async Task The_stall_check_resends_only_the_unfinished_crawl_never_a_cancelled_or_completed_one()
    {
        var azurite = azurites.NewAccount();
        var registry = await RegistryAsync(azurite);
        var cancelled = await registry.StartAsync("说唱");
        var completed = await registry.Start.RunAsync(["说唱"], 1, "test", OverlapPolicy.CancelUnfinished, CancellationToken.None);
        await registry.CompleteAsync(completed);
        var stalled = await registry.StartAsync("欧美");
        Assert.Equal(CrawlStates.Cancelled, await registry.StateAsync(cancelled.CrawlId));

        registry.Time.Offset = TimeSpan.FromHours(1);
        Assert.Equal(1, await StallCheck(registry).RunAsync(CancellationToken.None));
        Assert.Equal([stalled.CrawlId], registry.Sink.Events.Where(s => s.Event.Kind == ProgressEventKind.Resumed).Select(s => s.CrawlId));
    }

    private static ResumeStalledCrawls StallCheck(Registry registry) =>
        new(registry.Queries, registry.Items, registry.Sink,
            new ResumeCrawl(registry.Queues, registry.Items, registry.Finish, registry.Sink, NullLogger<ResumeCrawl>.Instance), registry.Finish,
            Options.Create(new CrawlerOptions { StallSeconds = 60 }), registry.Time, NullLogger<ResumeStalledCrawls>.Instance);

    [Fact]
    public async Task A_crawl_belongs_to_its_site_another_site_neither_resumes_it_nor_is_refused_by_it_nor_is_sent_its_work()
    {
        var azurite = azurites.NewAccount();
        var sandbox = await RegistryAsync(azurite, siteUrl: "http://127.0.0.1:7081");
        var other = await RegistryAsync(azurite, siteUrl: "https://music.163.com/");
        var sandboxCrawl = await sandbox.StartAsync("说唱");
        Assert.Equal("http://127.0.0.1:7081", sandboxCrawl.Site);
        Assert.IsType<RunChoice.Resume>(await sandbox.Queries.ChooseRunAsync(["说唱"], false, false, CancellationToken.None));

        // The same categories on another site: a new crawl, not a resume of the Sandbox's and not refused by it.
        Assert.IsType<RunChoice.Start>(await other.Queries.ChooseRunAsync(["说唱"], false, false, CancellationToken.None));
        var siteCrawl = await other.StartAsync("说唱");
        Assert.Equal("https://music.163.com", siteCrawl.Site);
        Assert.Equal(CrawlStates.Running, await sandbox.StateAsync(sandboxCrawl.CrawlId)); // not cancelled by it either

        // The stall check of each site sends only its own crawl's work.
        sandbox.Time.Offset = other.Time.Offset = TimeSpan.FromHours(1);
        Assert.Equal(1, await StallCheck(other).RunAsync(CancellationToken.None));
        Assert.Equal([siteCrawl.CrawlId], other.Sink.Events.Where(s => s.Event.Kind == ProgressEventKind.Resumed).Select(s => s.CrawlId));
    }
}
