using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Storage;
using FunctionsCrawler.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FunctionsCrawler.Tests.History;

/// <summary>The clean-up keeps <c>Crawler__HistoryDays</c> of history, whatever it does to the crawls themselves.</summary>
public sealed class HistoryRetentionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 4, 30, 0, TimeSpan.Zero);

    private static CleanUpOldCrawls CleanUp(HistoryWorld w, string retentionDays = "30", string historyDays = "365")
    {
        var time = new FakeTimeProvider(Now);
        var queues = new CrawlQueues(w.Storage);
        return new CleanUpOldCrawls(w.Crawls, new CrawlQueries(w.Crawls, w.Items, queues, w.Statuses, Options.Create(new NetEaseOptions()), time),
            w.Items, queues, w.History, w.Statuses, Options.Create(new CrawlerOptions { RetentionDays = retentionDays, HistoryDays = historyDays }), time,
            NullLogger<CleanUpOldCrawls>.Instance);
    }

    [Fact]
    public async Task History_older_than_HistoryDays_goes_newer_stays_and_deleting_a_crawl_keeps_its_history()
    {
        var w = await HistoryWorld.CreateAsync(azurite.NewAccount());
        PlaylistRecord[] Rows(int daysAgo) => [.. Enumerable.Range(1, 120).Select(i => HistoryWorld.Row("说唱", i, 100L * i + daysAgo, Now.AddDays(-daysAgo)))];
        await w.CrawlAsync("20251027-030000-aaaa", Now.AddDays(-400), Rows(400));
        await w.CrawlAsync("20261022-030000-bbbb", Now.AddDays(-40), Rows(40));
        await w.CrawlAsync("20261130-030000-cccc", Now.AddDays(-1), Rows(1));
        Assert.Equal(360, (await w.HistoryRowsAsync()).Count);

        var summary = await CleanUp(w).RunAsync(default);

        // Both older crawls are past the 30 days (the newest completed crawl of 说唱 is the recent one): both deleted.
        Assert.Equal(["20251027-030000-aaaa", "20261022-030000-bbbb"], summary.Deleted.Order(StringComparer.Ordinal));
        Assert.Null(await w.Crawls.GetAsync("20261022-030000-bbbb", default));
        // The history of the crawl 400 days old is past the 365 days; the one 40 days old keeps its history.
        Assert.Equal(120, summary.HistoryRows);
        var left = await w.HistoryRowsAsync();
        Assert.Equal(240, left.Count);
        Assert.Equal(["20261022-030000-bbbb", "20261130-030000-cccc"], left.Select(e => e.GetString("CrawlId")).Distinct().Order(StringComparer.Ordinal));
        var points = await w.History.ReadPlaylistAsync("说唱", 7, default);
        Assert.Equal([740L, 701], points.Select(p => p.PlayCount));

        // A shorter history setting takes the 40-day-old rows too; the crawl retention has nothing more to do.
        var shorter = await CleanUp(w, historyDays: "30").RunAsync(default);
        Assert.Empty(shorter.Deleted);
        Assert.Equal(120, shorter.HistoryRows);
        Assert.Equal(["20261130-030000-cccc"], (await w.HistoryRowsAsync()).Select(e => e.GetString("CrawlId")).Distinct());
    }
}
