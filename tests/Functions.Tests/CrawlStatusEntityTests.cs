using FunctionsCrawler.Functions.Status;
using FunctionsCrawler.Progress;
using Xunit;

namespace FunctionsCrawler.Functions.Tests;

public class CrawlStatusEntityTests
{
    private const string CrawlId = "20261127-081500-3f9a";
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 8, 15, 0, TimeSpan.Zero);

    private readonly EntityHarness _entity = new(CrawlStatusEntity.Name, CrawlId);

    private Task Apply(ProgressEvent e, string operation = CrawlStatusEntity.ApplyOperation) =>
        _entity.RunAsync(new CrawlStatusEntity(), operation, e).AsTask();

    private CrawlStatus Status() => _entity.State<CrawlProgress>()!.Snapshot(T0.AddMinutes(1));

    [Fact]
    public async Task A_crawl_applied_through_the_entity_shows_live_counts_then_ends_with_the_item_tables_tally()
    {
        await Apply(ProgressEvent.Started(CrawlId, ["说唱"], 1, T0));
        await Apply(ProgressEvent.PagesPlanned("说唱", 1, T0.AddSeconds(1)));
        await Apply(ProgressEvent.PageDone("说唱", 0, 3, T0.AddSeconds(2)));
        await Apply(ProgressEvent.PlaylistDone("说唱", 101, 2048, T0.AddSeconds(3)));
        await Apply(ProgressEvent.PlaylistDone("说唱", 102, null, T0.AddSeconds(4)));
        Assert.Equal("running", Status().State);
        await Apply(ProgressEvent.PlaylistSkipped("说唱", 103, "deleted", T0.AddSeconds(5)));
        Assert.Equal("running", Status().State); // the entity displays; the item table judges
        var tally = new Dictionary<string, CategoryCounts> { ["说唱"] = new() { PagesTotal = 1, PagesDone = 1, Discovered = 3, Done = 2, Skipped = 1 } };
        await Apply(ProgressEvent.Ended(tally, 1, 2048, 1, null, T0.AddSeconds(5)));

        var status = Status();
        Assert.Equal("completed", status.State);
        Assert.Equal(CrawlId, status.CrawlId);
        Assert.Equal(["说唱"], status.Categories);
        Assert.Equal(T0.AddSeconds(5), status.CompletedAt);
        Assert.Equal(new PagesFigures(1, 1), status.Pages);
        Assert.Equal(new PlaylistFigures(3, 2, 1, 0), status.Playlists);
        Assert.Equal(new CoverFigures(1, 1, 2048), status.Covers);
    }

    [Fact]
    public async Task A_batch_sent_twice_counts_once_in_the_entity()
    {
        await Apply(ProgressEvent.Started(CrawlId, ["说唱"], 0, T0));
        var batch = new List<ProgressEvent>
        {
            ProgressEvent.PagesPlanned("说唱", 2, T0),
            ProgressEvent.PageDone("说唱", 0, 2, T0.AddSeconds(1)),
            ProgressEvent.PlaylistDone("说唱", 101, 2048, T0.AddSeconds(2)),
        };
        foreach (var e in batch) e.BatchId = "batch-1";
        await _entity.RunAsync(new CrawlStatusEntity(), "applyAll", batch);
        await _entity.RunAsync(new CrawlStatusEntity(), "applyAll", batch); // re-sent after an unclear failure

        var status = Status();
        Assert.Equal(new PlaylistFigures(2, 1, 0, 0) { Detailed = 1 }, status.Playlists);
        Assert.Equal(new CoverFigures(1, 0, 2048), status.Covers);
        Assert.Equal("running", status.State);
    }

    [Fact]
    public async Task First_signal_starts_from_an_empty_progress()
    {
        Assert.Null(_entity.StateJson);
        await Apply(ProgressEvent.PagesPlanned("说唱", 3, T0));

        var progress = _entity.State<CrawlProgress>()!;
        Assert.Equal(3, progress.Counts["说唱"].PagesTotal);
        Assert.Equal(0, progress.DiscoveredCount);
    }

    [Theory]
    [InlineData("apply")]
    [InlineData("Apply")]
    [InlineData("APPLY")]
    public async Task Operation_names_reach_Apply_whatever_their_case(string operation)
    {
        await Apply(ProgressEvent.Started(CrawlId, ["说唱"], 0, T0), operation);
        Assert.Equal(CrawlId, _entity.State<CrawlProgress>()!.CrawlId);
    }

    [Fact]
    public async Task Unknown_operation_fails_naming_it_and_keeps_the_state()
    {
        await Apply(ProgressEvent.Started(CrawlId, ["说唱"], 0, T0));
        var before = _entity.StateJson;

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => Apply(ProgressEvent.Error("x", T0), "reset"));
        Assert.Contains("reset", error.Message);
        Assert.Equal(before, _entity.StateJson);
    }
}
