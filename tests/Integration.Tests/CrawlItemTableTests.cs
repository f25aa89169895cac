using Azure;
using FunctionsCrawler.TestSupport;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>The item table on a real Azurite: every first transition is won exactly once, and the tally matches it.</summary>
[Collection(nameof(InProcessStorage))]
public sealed class CrawlItemTableTests(AzuriteFixture azurites) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private CrawlItemTable _items = null!;
    private string _connection = "";

    public async Task InitializeAsync()
    {
        _connection = azurites.NewAccount().ConnectionString;
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = _connection }).Build();
        _items = new CrawlItemTable(StorageClients.FromConfiguration(config));
        await _items.EnsureCreatedAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_page_is_finished_once_and_records_only_the_playlists_the_category_has_not_met()
    {
        var first = await _items.FinishPageAsync("c1", "说唱", 0, [1, 2, 3, 3], T0, default);
        Assert.Equal([1L, 2, 3], first!.Select(p => p.Id));
        // Each new row's ETag comes back with it, so the playlists' message can move the rows on without reading them.
        foreach (var p in first!)
            Assert.Equal((await _items.GetPlaylistAsync("c1", "说唱", p.Id, default))!.ETag.ToString(), p.ETag);
        Assert.Null(await _items.FinishPageAsync("c1", "说唱", 0, [1, 2, 3], T0, default)); // a redelivery
        var second = await _items.FinishPageAsync("c1", "说唱", 1, [3, 4, 5], T0, default); // 3 repeats from page 0
        Assert.Equal([4L, 5], second!.Select(p => p.Id));
        Assert.Equal([3L], (await _items.FinishPageAsync("c1", "R&B/Soul", 0, [3], T0, default))!.Select(p => p.Id)); // another category: its own row
        Assert.True(await _items.IsPageFinishedAsync("c1", "说唱", 1, default));
        Assert.False(await _items.IsPageFinishedAsync("c1", "说唱", 2, default));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_pages_sharing_ids_discover_each_id_once()
    {
        var pages = Enumerable.Range(0, 8).Select(p => Enumerable.Range(p * 30, 35).Select(i => (long)i).ToList()).ToList();
        var results = await Task.WhenAll(pages.SelectMany((ids, p) => new[] { p, p }.Select(index =>
            _items.FinishPageAsync("c2", "华语", index, ids, T0, default))));
        var discovered = results.Where(r => r is not null).SelectMany(r => r!).Select(p => p.Id).ToList();
        Assert.Equal(8, results.Count(r => r is not null)); // each page won once
        Assert.Equal(discovered.Distinct().Count(), discovered.Count);
        Assert.Equal(pages.SelectMany(p => p).Distinct().Order(), discovered.Order());
    }

    private async Task<bool> FinishAsync(PlaylistItem item, string state, PlaylistRecord? record, string? reason, ScrapedPlaylist? fetched = null) =>
        (await _items.FinishPlaylistsAsync([new CrawlItemTable.Finish(item, state, record, reason, fetched)], T0, default)).Contains(item.PlaylistId);

    [Fact]
    public async Task A_playlist_moves_on_once_and_the_tally_counts_what_the_table_holds()
    {
        await _items.OpenCrawlAsync("c3", ["说唱"], default);
        Assert.Equal(1, await _items.PlanAsync("c3", "说唱", 1, default));
        await _items.FinishPageAsync("c3", "说唱", 0, [10, 11, 12], T0, default);
        var item = (await _items.GetPlaylistAsync("c3", "说唱", 10, default))!;
        var again = (await _items.GetPlaylistAsync("c3", "说唱", 10, default))!;
        var record = new PlaylistRecord { Category = "说唱", CrawlId = "c3", CrawledAt = T0, Detail = new PlaylistDetail { Id = 10, Name = "歌单" } };
        Assert.True(await FinishAsync(item, CrawlItemTable.Done, record, null));
        Assert.False(await FinishAsync(again, CrawlItemTable.Done, record, null)); // the second delivery loses
        var gone = (await _items.GetPlaylistAsync("c3", "说唱", 11, default))!;
        Assert.True(await FinishAsync(gone, CrawlItemTable.Skipped, null, "deleted"));
        Assert.True((await _items.GetPlaylistAsync("c3", "说唱", 10, default))!.IsFinished);

        var rows = await _items.ReadRowsAsync("c3", ["说唱"], default).ToListAsync();
        Assert.Equal("歌单", Assert.Single(rows).Detail.Name);

        var counts = (await _items.TallyAsync("c3", default)).Counts["说唱"];
        Assert.Equal((1, 1, 3, 1, 1, 0), (counts.PagesTotal, counts.PagesDone, counts.Discovered, counts.Done, counts.Skipped, counts.Failed));
        // What is left open is exactly the playlist still pending.
        var open = await _items.ReadOpenAsync("c3", default);
        Assert.Empty(open.Pages);
        Assert.Equal(("说唱", 12L), Assert.Single(open.Playlists));
        Assert.True(await _items.HasOpenWorkAsync("c3", default));
        Assert.True(await FinishAsync((await _items.GetPlaylistAsync("c3", "说唱", 12, default))!, CrawlItemTable.Failed, null, "boom"));
        Assert.False(await _items.HasOpenWorkAsync("c3", default));
        var tally = await _items.TallyAsync("c3", default);
        Assert.Equal(1, tally.Counts["说唱"].Failed);
        Assert.Null(tally.FailedReason); // one done: the crawl completed
    }

    [Fact]
    public async Task The_open_rows_are_the_unfinished_work_from_the_start_to_the_last_page()
    {
        await _items.OpenCrawlAsync("c7", ["说唱", "华语"], default);
        Assert.Equal([("华语", 0), ("说唱", 0)], (await _items.ReadOpenAsync("c7", default)).Pages.Order());
        Assert.Equal(3, await _items.PlanAsync("c7", "说唱", 3, default));
        Assert.Equal(3, await _items.PlanAsync("c7", "说唱", 5, default)); // a redelivery of page 0: the first plan wins
        await _items.FinishPageAsync("c7", "说唱", 0, [1], T0, default);
        Assert.Equal([("华语", 0), ("说唱", 1), ("说唱", 2)], (await _items.ReadOpenAsync("c7", default)).Pages.Order());
        await _items.FinishPageAsync("c7", "说唱", 1, [], T0, default);
        Assert.True(await _items.FailPageAsync("c7", "说唱", 2, "HTTP 500 from site", T0, default));
        Assert.False(await _items.FailPageAsync("c7", "说唱", 2, "HTTP 500 from site", T0, default)); // failed already

        // 华语's page 0 fails for good: it stands in for the category's plan as its one page.
        Assert.True(await _items.FailPageAsync("c7", "华语", 0, "HTTP 502 from site", T0, default));
        Assert.Equal(new Dictionary<string, int> { ["说唱"] = 3, ["华语"] = 1 }, await _items.ReadPlansAsync("c7", default));
        var open = await _items.ReadOpenAsync("c7", default);
        Assert.Empty(open.Pages);
        Assert.Equal(("说唱", 1L), Assert.Single(open.Playlists));

        // Requeued, 华语's page 0 is open again, and once read its real pager replaces the stand-in plan.
        Assert.Equal(1, (await _items.ReopenFailedAsync("c7", [("华语", 0, null)], T0, default))["华语"].Pages);
        Assert.Equal(("华语", 0), Assert.Single((await _items.ReadOpenAsync("c7", default)).Pages));
        Assert.Equal(2, await _items.PlanAsync("c7", "华语", 2, default));
        await _items.FinishPageAsync("c7", "华语", 0, [], T0, default);
        Assert.Equal(("华语", 1), Assert.Single((await _items.ReadOpenAsync("c7", default)).Pages));
        var tally = await _items.TallyAsync("c7", default);
        Assert.Equal((2, 1, 0, false), (tally.Counts["华语"].PagesTotal, tally.Counts["华语"].PagesDone, tally.Counts["华语"].PagesFailed, tally.Counts["华语"].PlannedByFailure));
        Assert.Equal((3, 2, 1), (tally.Counts["说唱"].PagesTotal, tally.Counts["说唱"].PagesDone, tally.Counts["说唱"].PagesFailed));
        Assert.Equal("page 3 of 说唱: HTTP 500 from site", tally.PageFailure);
    }

    [Fact]
    public async Task A_fetch_is_claimed_once_given_back_when_deferred_and_taken_over_when_stale()
    {
        var won = await _items.ClaimFetchAsync("c4", 7, T0, TimeSpan.FromMinutes(5), default);
        Assert.True(won.Won);
        var held = await _items.ClaimFetchAsync("c4", 7, T0.AddSeconds(1), TimeSpan.FromMinutes(5), default);
        Assert.False(held.Won);
        Assert.Equal(T0, held.HeldSince);

        await _items.ReleaseFetchesAsync("c4", new Dictionary<long, ETag> { [7] = won.Held }, default);
        var again = await _items.ClaimFetchAsync("c4", 7, T0.AddSeconds(2), TimeSpan.FromMinutes(5), default);
        Assert.True(again.Won);
        Assert.True((await _items.ClaimFetchAsync("c4", 7, T0.AddMinutes(10), TimeSpan.FromMinutes(5), default)).Won); // the holder died
        // The dead holder's late give-back leaves the claim that took over in place.
        await _items.ReleaseFetchesAsync("c4", new Dictionary<long, ETag> { [7] = again.Held }, default);
        Assert.False((await _items.ClaimFetchAsync("c4", 7, T0.AddMinutes(10).AddSeconds(1), TimeSpan.FromMinutes(5), default)).Won);

        await _items.FinishPageAsync("c4", "说唱", 0, [7], T0, default);
        await FinishAsync((await _items.GetPlaylistAsync("c4", "说唱", 7, default))!, CrawlItemTable.Skipped, null, "deleted", new ScrapedPlaylist(null, "deleted"));
        var known = await _items.ClaimFetchAsync("c4", 7, T0.AddMinutes(11), TimeSpan.FromMinutes(5), default);
        Assert.False(known.Won);
        Assert.Equal("deleted", known.Fetched!.GoneReason);

        await _items.ClaimFetchAsync("c4", 8, T0, TimeSpan.FromMinutes(5), default);
        Assert.Equal(1, await _items.ReleaseClaimsAsync("c4", default)); // resuming gives back the claims of the dead
        Assert.True((await _items.ClaimFetchAsync("c4", 8, T0.AddSeconds(3), TimeSpan.FromMinutes(5), default)).Won);
    }

    [Fact]
    public async Task A_page_of_claims_is_one_transaction_and_an_id_claimed_elsewhere_is_looked_at_on_its_own()
    {
        await _items.ClaimFetchAsync("c5", 2, T0, TimeSpan.FromMinutes(5), default); // being fetched by another delivery
        await _items.FinishPageAsync("c5", "华语", 0, [3], T0, default); // fetched by another category
        await FinishAsync((await _items.GetPlaylistAsync("c5", "华语", 3, default))!, CrawlItemTable.Skipped, null, "deleted", new ScrapedPlaylist(null, "deleted"));
        var claims = await _items.ClaimFetchesAsync("c5", [1, 2, 3, 4, 4], T0.AddSeconds(1), TimeSpan.FromMinutes(5), default);
        Assert.Equal([1L, 2, 3, 4], claims.Keys.Order());
        Assert.True(claims[1].Won);
        Assert.True(claims[4].Won);
        Assert.False(claims[2].Won);
        Assert.Equal(T0, claims[2].HeldSince);
        Assert.Equal("deleted", claims[3].Fetched!.GoneReason);
        Assert.False((await _items.ClaimFetchAsync("c5", 4, T0.AddSeconds(2), TimeSpan.FromMinutes(5), default)).Won); // really held

        // Given back in one go, but for a claim no longer as won (4: recorded since): the others are free again, 4 stays.
        await _items.FinishPageAsync("c5", "华语", 1, [4], T0, default);
        await FinishAsync((await _items.GetPlaylistAsync("c5", "华语", 4, default))!, CrawlItemTable.Skipped, null, "deleted", new ScrapedPlaylist(null, "deleted"));
        await _items.ReleaseFetchesAsync("c5", new Dictionary<long, ETag> { [1] = claims[1].Held, [4] = claims[4].Held }, default);
        Assert.True((await _items.ClaimFetchAsync("c5", 1, T0.AddSeconds(3), TimeSpan.FromMinutes(5), default)).Won);
        Assert.Equal("deleted", (await _items.ClaimFetchAsync("c5", 4, T0.AddSeconds(3), TimeSpan.FromMinutes(5), default)).Fetched!.GoneReason);
    }

    [Fact]
    public async Task A_long_list_answer_is_recorded_in_a_few_transactions_and_a_retry_after_a_crash_in_between_sends_its_own_rows_again()
    {
        // 100 playlists: 70 complete from the list (done at once, one row each), 30 left to fetch (a row and an open row each).
        static PlaylistRecord Row(long id) => new() { Category = "说唱", CrawlId = "c8", CrawledAt = T0, Detail = new PlaylistDetail { Id = id, Name = $"歌单 {id}" } };
        var listed = Enumerable.Range(1, 100).Select(i => i <= 70
            ? new ListedItem(i) { Row = Row(i) }
            : new ListedItem(i) { Draft = Row(i), NeedsDetail = false, NeedsCover = true, IsNew = true }).ToList();
        var page = await _items.FinishListedPageAsync("c8", "说唱", 3, listed, T0, default);
        Assert.Equal(70, page!.Recorded.Count);
        Assert.Equal(Enumerable.Range(71, 30).Select(i => (long)i), page.Pending.Select(p => p.Id));
        Assert.All(page.Pending, p => Assert.True(p.New && p.Listed && p.ETag is not null));
        var open = await _items.ReadOpenAsync("c8", default);
        Assert.Equal(30, open.Playlists.Count);
        var draft = (await _items.GetPlaylistAsync("c8", "说唱", 71, default, listed: true))!;
        Assert.Equal(("歌单 71", false, true), (draft.Listed!.Record.Detail.Name, draft.Listed.NeedsDetail, draft.Listed.NeedsCover));
        Assert.True(draft.IsNew);

        // The process died after the rows and before the page row: the retry recognises its own rows by their page
        // and sends the pending ones again; a repeat of another page is still told apart.
        var table = new Azure.Data.Tables.TableClient(_connection, CrawlItemTable.Name);
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "c8"))
            if (row.RowKey.StartsWith("page|", StringComparison.Ordinal)) await table.DeleteEntityAsync("c8", row.RowKey);
        await _items.FinishPageAsync("c8", "说唱", 4, [200], T0, default);
        var again = await _items.FinishListedPageAsync("c8", "说唱", 3, [.. listed, new ListedItem(200)], T0, default);
        Assert.Equal(Enumerable.Range(71, 30).Select(i => (long)i), again!.Pending.Select(p => p.Id).Order());
        Assert.Equal(1, again.Repeats);
        Assert.Null(await _items.FinishListedPageAsync("c8", "说唱", 3, listed, T0, default));
        Assert.Equal(70, await _items.ReadRowsAsync("c8", ["说唱"], default).CountAsync());
    }

    [Fact]
    public async Task A_page_of_moves_wins_each_pending_row_once_even_with_a_stale_etag_and_long_texts()
    {
        var refs = (await _items.FinishPageAsync("c6", "说唱", 0, Enumerable.Range(1, 35).Select(i => (long)i).ToList(), T0, default))!;
        var items = refs.Select(p => new PlaylistItem("c6", "说唱", p.Id, CrawlItemTable.Pending, new Azure.ETag(p.ETag!))).ToList();
        // Row 1 was moved by another delivery; row 2 only changed (put back to pending), so its ETag is stale but it is still to do.
        Assert.True(await FinishAsync(items[0], CrawlItemTable.Skipped, null, "deleted"));
        await FinishAsync(items[1], CrawlItemTable.Failed, null, "boom");
        await _items.ReopenFailedAsync("c6", [("说唱", null, 2L)], T0, default);

        // 32,000-character descriptions (the most a row keeps) make the page too big for one 4 MiB transaction.
        var text = new string('歌', 32_000);
        var finishes = items.Select(i => new CrawlItemTable.Finish(i, CrawlItemTable.Done,
            new PlaylistRecord { Category = "说唱", CrawlId = "c6", CrawledAt = T0, Detail = new PlaylistDetail { Id = i.PlaylistId, Name = "歌单", Description = text } },
            null, new ScrapedPlaylist(new PlaylistRecord { Category = "", CrawlId = "c6", CrawledAt = T0, Detail = new PlaylistDetail { Id = i.PlaylistId, Name = "歌单", Description = text } }, null))).ToList();
        var won = await _items.FinishPlaylistsAsync(finishes, T0, default);

        Assert.Equal(Enumerable.Range(2, 34).Select(i => (long)i), won.Order());
        var rows = await _items.ReadRowsAsync("c6", ["说唱"], default).ToListAsync();
        Assert.Equal(34, rows.Count);
        Assert.All(rows, r => Assert.Equal(32_000, r.Detail.Description!.Length));
        Assert.True((await _items.FinishPlaylistsAsync(finishes, T0, default)).Count == 0); // a redelivery wins nothing
        Assert.False(await _items.HasOpenWorkAsync("c6", default)); // each move closed its open row
        Assert.Equal(35, (await _items.ClaimFetchesAsync("c6", refs.Select(p => p.Id).ToList(), T0, TimeSpan.FromMinutes(5), default)).Values.Count(c => c.Fetched is not null));
    }
}
