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

        /// <summary>Signals what the steps would for a crawl whose one page lists no playlists: it completes.</summary>
        public async Task CompleteAsync(CrawlInfo crawl)
        {
            var now = Time.GetUtcNow();
            foreach (var category in crawl.Categories)
            {
                await Sink.SignalAsync(crawl.CrawlId, ProgressEvent.PagesPlanned(category, 1, now));
                await Sink.SignalAsync(crawl.CrawlId, ProgressEvent.PageDone(category, 0, 0, now));
            }
        }

        public async Task<string> StateAsync(string crawlId) => (await Queries.FindStatusAsync(crawlId, CancellationToken.None))!.State;
    }

    private static async Task<Registry> RegistryAsync(StorageAccount azurite, string configuredCategories = "说唱")
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
        var queries = new CrawlQueries(crawls, items, sink, storage, time);
        var cancelled = new CancelledCrawls(crawls, time);
        // Never asked here (no 'all'): a site that is not there.
        var site = new NetEaseOptions { BaseUrl = "http://127.0.0.1:9/" };
        var client = new NetEaseClient(new HttpClient(), new HostRateLimiter(100, new SitePushback(Options.Create(site), time), time),
            Options.Create(site), time, NullLogger<NetEaseClient>.Instance);
        var log = new Lines<StartCrawl>();
        var start = new StartCrawl(crawls, queues, sink, queries, new ResolveCategories(client, NullLogger<ResolveCategories>.Instance), cancelled,
            Options.Create(new CrawlerOptions { Categories = configuredCategories }), time, log);
        return new Registry
        {
            Storage = storage, Crawls = crawls, Items = items, Queues = queues, Sink = sink, Queries = queries, Cancelled = cancelled,
            Start = start, StartLog = log, Time = time,
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
        Assert.Equal(25, (await registry.Queries.ListAsync("500", null, CancellationToken.None)).Crawls.Count); // capped at 100
        Assert.Null((await registry.Queries.ListAsync("25", null, CancellationToken.None)).Continuation);
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
        var resume = new ResumeStalledCrawls(registry.Crawls, registry.Sink, new ResumeCrawl(registry.Queues, registry.Items, registry.Sink, registry.Time, NullLogger<ResumeCrawl>.Instance),
            Options.Create(new CrawlerOptions { StallSeconds = 60 }), registry.Time, NullLogger<ResumeStalledCrawls>.Instance);

        Assert.Equal(1, await resume.RunAsync(CancellationToken.None));
        Assert.Equal([stalled.CrawlId], registry.Sink.Events.Where(s => s.Event.Kind == ProgressEventKind.Resumed).Select(s => s.CrawlId));
    }
}
