using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Progress;

namespace FunctionsCrawler.Storage;

/// <summary>A playlist as one category of one crawl knows it: its row key's state and the ETag to move it on with.</summary>
public sealed record PlaylistItem(string CrawlId, string Category, long PlaylistId, string State, ETag ETag)
{
    public bool IsFinished => State != CrawlItemTable.Pending;
}

/// <summary>Who fetches a playlist id in a crawl: this delivery (<see cref="Won"/>), someone who already did, or someone doing it now.</summary>
public sealed record FetchClaim(bool Won, ScrapedPlaylist? Fetched, DateTimeOffset? HeldSince);

/// <summary>What resuming a crawl needs from the item table: its exact counts, and what is still unfinished.</summary>
public sealed record CrawlTally(
    Dictionary<string, CategoryCounts> Counts, int CoversStored, long CoverBytes, int CoversMissing,
    Dictionary<string, HashSet<int>> FinishedPages, List<(string Category, PlaylistRef Playlist)> PendingPlaylists, int ReleasedClaims);

/// <summary>
/// Table <c>CrawlItems</c>, one partition per crawl: the per-item truth that the status entity only counts.
/// Every first transition is a conditional write, so exactly one delivery wins it and signals it:
/// <list type="bullet">
/// <item><c>page|&lt;category&gt;|&lt;index&gt;</c> — inserted when the page is finished (done or failed), in the same
/// transaction as the <c>list|…</c> rows of the playlists it shows for the first time (so discovery happens once).</item>
/// <item><c>list|&lt;category&gt;|&lt;id&gt;</c> — one playlist of a category: pending, then done/skipped/failed by an
/// ETag-conditional update; a done row carries the record (the crawl's own snapshot, what its export reads).</item>
/// <item><c>fetch|&lt;id&gt;</c> — the claim that makes "fetch each id once per crawl" race-free, then what the fetch learned.</item>
/// </list>
/// </summary>
public sealed class CrawlItemTable(StorageClients storage)
{
    public const string Name = "CrawlItems";
    public const string Pending = "pending", Done = "done", Skipped = "skipped", Failed = "failed";
    private const string Fetching = "fetching", Fetched = "fetched", Gone = "gone";
    private const int MaxTransaction = 100;

    private readonly TableClient _table = storage.Tables.GetTableClient(Name);

    public Task EnsureCreatedAsync(CancellationToken ct) => _table.CreateIfNotExistsAsync(ct);

    private static string Cat(string category) => PlaylistTable.CategoryKey(category);
    private static string PageKey(string category, int index) => $"page|{Cat(category)}|{index.ToString("D6", CultureInfo.InvariantCulture)}";
    private static string ListKey(string category, long id) => $"list|{Cat(category)}|{id.ToString("D20", CultureInfo.InvariantCulture)}";
    private static string FetchKey(long id) => $"fetch|{id.ToString("D20", CultureInfo.InvariantCulture)}";

    public async Task<bool> IsPageFinishedAsync(string crawlId, string category, int index, CancellationToken ct) =>
        (await _table.GetEntityIfExistsAsync<TableEntity>(crawlId, PageKey(category, index), ["State"], ct)).HasValue;

    /// <summary>
    /// Finishes a page and records the playlists it shows that the category has not met yet, in one transaction.
    /// Returns those new playlists with their rows' ETags, or null when the page was already finished (a redelivery:
    /// nothing to do or count).
    /// </summary>
    public async Task<IReadOnlyList<PlaylistRef>?> FinishPageAsync(string crawlId, string category, int index, IReadOnlyList<long> ids,
        DateTimeOffset at, CancellationToken ct)
    {
        var fresh = ids.Distinct().ToList();
        if (fresh.Count >= MaxTransaction) throw new InvalidOperationException($"a page lists at most {NetEaseUrls.PageSize} playlists, got {fresh.Count}");
        // A batch fails whole on the first row that exists: drop that row and try again (a repeat from the previous page,
        // or a concurrent delivery). The page row goes first, so "already finished" is recognised at once.
        while (true)
        {
            var batch = new List<TableTransactionAction>(fresh.Count + 1)
            {
                new(TableTransactionActionType.Add, new TableEntity(crawlId, PageKey(category, index))
                {
                    ["State"] = Done, ["Category"] = category, ["Discovered"] = fresh.Count, ["ChangedAt"] = at,
                }),
            };
            batch.AddRange(fresh.Select(id => new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(crawlId, ListKey(category, id)) { ["State"] = Pending, ["Category"] = category, ["PlaylistId"] = id, ["ChangedAt"] = at })));
            try
            {
                var answers = (await _table.SubmitTransactionAsync(batch, ct)).Value;
                // Each insert's answer carries the new row's ETag: the playlist's message takes it along, so moving the
                // row on needs no read first.
                return fresh.Select((id, i) => new PlaylistRef(id, i + 1 < answers.Count ? EtagOf(answers[i + 1]) : null)).ToList();
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                if (e.FailedTransactionActionIndex is not { } failed || failed == 0) return null;
                fresh.RemoveAt(failed - 1);
            }
        }
    }

    private static string? EtagOf(Response answer) => answer.Headers.ETag is { } etag ? EtagOf(etag) : null;

    private static string? EtagOf(ETag etag) => string.IsNullOrEmpty(etag.ToString()) ? null : etag.ToString();

    /// <summary>Marks a page failed (its last try gave up); false when it was already finished.</summary>
    public async Task<bool> FailPageAsync(string crawlId, string category, int index, string reason, DateTimeOffset at, CancellationToken ct)
    {
        try
        {
            await _table.AddEntityAsync(new TableEntity(crawlId, PageKey(category, index))
            {
                ["State"] = Failed, ["Category"] = category, ["Reason"] = reason, ["ChangedAt"] = at,
            }, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<PlaylistItem?> GetPlaylistAsync(string crawlId, string category, long id, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(crawlId, ListKey(category, id), ["State"], ct);
        return row.HasValue && row.Value is { } e ? new PlaylistItem(crawlId, category, id, e.GetString("State") ?? Pending, e.ETag) : null;
    }

    /// <summary>
    /// Moves a playlist from pending to its final state, with the record when done, and keeps what this delivery fetched
    /// for the id (<paramref name="fetched"/>) in the same transaction. False when another delivery moved it first:
    /// that delivery signals it, this one does not.
    /// </summary>
    public async Task<bool> FinishPlaylistAsync(PlaylistItem item, string state, PlaylistRecord? record, string? reason, DateTimeOffset at,
        CancellationToken ct, ScrapedPlaylist? fetched = null) =>
        (await FinishPlaylistsAsync([new Finish(item, state, record, reason, fetched)], at, ct)).Contains(item.PlaylistId);

    /// <summary>One playlist's move to its final state, as <see cref="FinishPlaylistsAsync"/> takes it.</summary>
    public sealed record Finish(PlaylistItem Item, string State, PlaylistRecord? Record, string? Reason, ScrapedPlaylist? Fetched);

    /// <summary>
    /// <see cref="FinishPlaylistAsync"/> for many playlists of one crawl in as few transactions as the limits allow
    /// (one for a page's worth). Returns the ids whose move this call won; a row another delivery moved first is left
    /// out (its ETag changed and the row is no longer pending), while one whose ETag was merely stale is moved.
    /// </summary>
    public async Task<IReadOnlySet<long>> FinishPlaylistsAsync(IReadOnlyList<Finish> finishes, DateTimeOffset at, CancellationToken ct)
    {
        var won = new HashSet<long>();
        if (finishes.Count == 0) return won;
        var crawlId = finishes[0].Item.CrawlId;
        var moves = finishes.DistinctBy(f => (f.Item.Category, f.Item.PlaylistId)).ToDictionary(f => ListKey(f.Item.Category, f.Item.PlaylistId));
        var kept = finishes.Where(f => f.Fetched is not null).DistinctBy(f => f.Item.PlaylistId)
            .Select(f => new TableTransactionAction(TableTransactionActionType.UpsertReplace, FetchEntity(crawlId, f.Item.PlaylistId, f.Fetched!, at))).ToList();
        var pending = new Dictionary<string, Finish>(moves);
        while (pending.Count > 0 || kept.Count > 0)
        {
            var actions = pending.Values.Select(f => new TableTransactionAction(TableTransactionActionType.UpdateReplace, MoveEntity(f, at), f.Item.ETag))
                .Concat(kept).ToList();
            var lost = false;
            foreach (var batch in TableBatches.Split(actions))
            {
                try
                {
                    await _table.SubmitTransactionAsync(batch, ct);
                    foreach (var action in batch)
                        if (pending.Remove(action.Entity.RowKey, out var moved)) won.Add(moved.Item.PlaylistId);
                        else kept.Remove(action);
                }
                catch (TableTransactionFailedException e) when (e.Status is 412 or 404 && e.FailedTransactionActionIndex is { } failed && failed < batch.Count)
                {
                    // One row's ETag did not match: see whether it moved on (lost) or only its ETag was stale, then send the rest again.
                    var key = batch[failed].Entity.RowKey;
                    if (!pending.TryGetValue(key, out var f)) throw;
                    var now = await GetPlaylistAsync(crawlId, f.Item.Category, f.Item.PlaylistId, ct);
                    if (now is null || now.IsFinished) pending.Remove(key);
                    else pending[key] = f with { Item = now };
                    lost = true;
                    break;
                }
            }
            if (!lost) break;
        }
        return won;
    }

    private static TableEntity MoveEntity(Finish f, DateTimeOffset at)
    {
        var entity = f.Record is not null ? f.Record.ToEntity(f.Item.CrawlId) : new TableEntity(f.Item.CrawlId, "");
        entity.RowKey = ListKey(f.Item.Category, f.Item.PlaylistId);
        entity["State"] = f.State;
        entity["Category"] = f.Item.Category;
        entity["PlaylistId"] = f.Item.PlaylistId;
        entity["Reason"] = f.Reason;
        entity["ChangedAt"] = at;
        return entity;
    }

    /// <summary>
    /// <see cref="ClaimFetchAsync"/> for many ids at once: one transaction inserts every claim that is free; an id
    /// claimed already is looked at on its own (fetched, gone, being fetched, or stale and taken over).
    /// </summary>
    public async Task<IReadOnlyDictionary<long, FetchClaim>> ClaimFetchesAsync(string crawlId, IReadOnlyCollection<long> ids, DateTimeOffset now,
        TimeSpan staleAfter, CancellationToken ct)
    {
        var claims = new Dictionary<long, FetchClaim>();
        foreach (var chunk in ids.Distinct().Chunk(MaxTransaction))
        {
            var free = chunk.ToList();
            while (free.Count > 0)
            {
                var batch = free.Select(id => new TableTransactionAction(TableTransactionActionType.Add,
                    new TableEntity(crawlId, FetchKey(id)) { ["State"] = Fetching, ["ClaimedAt"] = now, ["ChangedAt"] = now })).ToList();
                try
                {
                    await _table.SubmitTransactionAsync(batch, ct);
                    foreach (var id in free) claims[id] = new FetchClaim(true, null, null);
                    break;
                }
                catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex is { } failed && failed < free.Count)
                {
                    var taken = free[failed];
                    claims[taken] = await ClaimFetchAsync(crawlId, taken, now, staleAfter, ct);
                    free.RemoveAt(failed);
                }
            }
        }
        return claims;
    }

    /// <summary>
    /// Claims the fetch of a playlist id for this crawl. A claim older than <paramref name="staleAfter"/> belongs to a
    /// delivery that died mid-fetch and is taken over.
    /// </summary>
    public async Task<FetchClaim> ClaimFetchAsync(string crawlId, long id, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct)
    {
        try
        {
            await _table.AddEntityAsync(new TableEntity(crawlId, FetchKey(id)) { ["State"] = Fetching, ["ClaimedAt"] = now, ["ChangedAt"] = now }, ct);
            return new FetchClaim(true, null, null);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(crawlId, FetchKey(id), cancellationToken: ct);
        if (!row.HasValue || row.Value is not { } existing) return await ClaimFetchAsync(crawlId, id, now, staleAfter, ct); // released meanwhile
        switch (existing.GetString("State"))
        {
            case Fetched: return new FetchClaim(false, new ScrapedPlaylist(PlaylistRecord.FromEntity(existing), null), null);
            case Gone: return new FetchClaim(false, new ScrapedPlaylist(null, existing.GetString("Reason") ?? "gone"), null);
        }
        var since = existing.GetDateTimeOffset("ClaimedAt") ?? now;
        if (now - since < staleAfter) return new FetchClaim(false, null, since);
        try
        {
            existing["ClaimedAt"] = now;
            await _table.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Replace, ct);
            return new FetchClaim(true, null, null);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return new FetchClaim(false, null, since);
        }
    }

    /// <summary>Keeps what the fetch of a claimed id learned: the record (without its category) or why it is gone.</summary>
    public Task SaveFetchAsync(string crawlId, long id, ScrapedPlaylist scraped, DateTimeOffset at, CancellationToken ct) =>
        _table.UpsertEntityAsync(FetchEntity(crawlId, id, scraped, at), TableUpdateMode.Replace, ct);

    private static TableEntity FetchEntity(string crawlId, long id, ScrapedPlaylist scraped, DateTimeOffset at)
    {
        var entity = scraped.Record is { } record ? record.ToEntity(crawlId) : new TableEntity(crawlId, "") { ["Reason"] = scraped.GoneReason };
        entity.RowKey = FetchKey(id);
        entity["State"] = scraped.Record is not null ? Fetched : Gone;
        entity["ChangedAt"] = at;
        return entity;
    }

    /// <summary>Gives a claim back (the fetch was deferred or failed), so the next delivery fetches at once.</summary>
    public async Task ReleaseFetchAsync(string crawlId, long id, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(crawlId, FetchKey(id), ["State"], ct);
        if (row.HasValue && row.Value is { } e && e.GetString("State") == Fetching)
        {
            // A projected row carries no keys: name them.
            try { await _table.DeleteEntityAsync(crawlId, FetchKey(id), e.ETag, ct); }
            catch (RequestFailedException x) when (x.Status is 404 or 412) { }
        }
    }

    /// <summary>One playlist's own row in a crawl (its snapshot there), or null when that crawl did not record it as done.</summary>
    public async Task<PlaylistRecord?> GetRowAsync(string crawlId, string category, long id, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(crawlId, ListKey(category, id), cancellationToken: ct);
        return row.HasValue && row.Value is { } e && e.GetString("State") == Done ? PlaylistRecord.FromEntity(e) with { Category = category } : null;
    }

    /// <summary>The crawl's own rows (done playlists) of the given categories, in category then id order.</summary>
    public async IAsyncEnumerable<PlaylistRecord> ReadRowsAsync(string crawlId, IEnumerable<string> categories,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var category in categories)
        {
            var prefix = $"list|{Cat(category)}|";
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {crawlId} and RowKey ge {prefix} and RowKey lt {After(prefix)} and State eq {Done}");
            await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
                yield return PlaylistRecord.FromEntity(e) with { Category = category };
        }
    }

    /// <summary>
    /// Reads the whole crawl once: counts every item that changed before <paramref name="cutoff"/>, lists the unfinished
    /// pages and playlists, and gives back fetch claims held by deliveries that are gone (the crawl is being resumed).
    /// </summary>
    public async Task<CrawlTally> TallyAsync(string crawlId, DateTimeOffset cutoff, CancellationToken ct)
    {
        var counts = new Dictionary<string, CategoryCounts>(StringComparer.Ordinal);
        var pages = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        var pending = new List<(string, PlaylistRef)>();
        int coversStored = 0, coversMissing = 0, released = 0;
        long coverBytes = 0;
        CategoryCounts For(string c) => counts.TryGetValue(c, out var k) ? k : counts[c] = new CategoryCounts();
        var select = new[] { "RowKey", "State", "Category", "PlaylistId", "Discovered", "ChangedAt", "CoverBytes", "CoverBlob" };
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.PartitionKey == crawlId, select: select, cancellationToken: ct))
        {
            var state = e.GetString("State");
            var counted = (e.GetDateTimeOffset("ChangedAt") ?? cutoff) < cutoff;
            if (e.RowKey.StartsWith("page|", StringComparison.Ordinal) && e.GetString("Category") is { } pageCategory)
            {
                var index = int.Parse(e.RowKey[(e.RowKey.LastIndexOf('|') + 1)..], CultureInfo.InvariantCulture);
                (pages.TryGetValue(pageCategory, out var set) ? set : pages[pageCategory] = []).Add(index);
                if (!counted) continue;
                var k = For(pageCategory);
                if (state == Failed) k.PagesFailed++;
                else
                {
                    k.PagesDone++;
                    k.Discovered += e.GetInt32("Discovered") ?? 0;
                }
            }
            else if (e.RowKey.StartsWith("list|", StringComparison.Ordinal) && e.GetString("Category") is { } category)
            {
                if (state == Pending) pending.Add((category, new PlaylistRef(e.GetInt64("PlaylistId") ?? 0, EtagOf(e.ETag))));
                if (!counted) continue;
                var k = For(category);
                switch (state)
                {
                    case Done: k.Done++; break;
                    case Skipped: k.Skipped++; break;
                    case Failed: k.Failed++; break;
                }
            }
            else if (e.RowKey.StartsWith("fetch|", StringComparison.Ordinal))
            {
                if (state == Fetching)
                {
                    try
                    {
                        await _table.DeleteEntityAsync(crawlId, e.RowKey, e.ETag, ct);
                        released++;
                    }
                    catch (RequestFailedException x) when (x.Status is 404 or 412) { }
                }
                else if (state == Fetched && counted)
                {
                    if (!string.IsNullOrEmpty(e.GetString("CoverBlob")))
                    {
                        coversStored++;
                        coverBytes += e.GetInt64("CoverBytes") ?? 0;
                    }
                    else coversMissing++;
                }
            }
        }
        return new CrawlTally(counts, coversStored, coverBytes, coversMissing, pages, pending, released);
    }

    /// <summary>Puts failed items back to pending (their poison messages were requeued); returns how many moved, per category.</summary>
    public async Task<Dictionary<string, (int Pages, int Playlists)>> ReopenFailedAsync(string crawlId, IEnumerable<(string Category, int? PageIndex, long? PlaylistId)> items,
        DateTimeOffset at, CancellationToken ct)
    {
        var moved = new Dictionary<string, (int Pages, int Playlists)>(StringComparer.Ordinal);
        foreach (var (category, pageIndex, playlistId) in items)
        {
            var key = pageIndex is { } index ? PageKey(category, index) : ListKey(category, playlistId ?? 0);
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(crawlId, key, ["State"], ct);
            if (!row.HasValue || row.Value is not { } e || e.GetString("State") != Failed) continue;
            try
            {
                if (pageIndex is not null) await _table.DeleteEntityAsync(crawlId, key, e.ETag, ct); // an unfinished page has no row
                else await _table.UpdateEntityAsync(new TableEntity(crawlId, key) { ["State"] = Pending, ["ChangedAt"] = at }, e.ETag, TableUpdateMode.Merge, ct);
            }
            catch (RequestFailedException x) when (x.Status is 404 or 412)
            {
                continue;
            }
            var (pages, playlists) = moved.GetValueOrDefault(category);
            moved[category] = pageIndex is not null ? (pages + 1, playlists) : (pages, playlists + 1);
        }
        return moved;
    }

    /// <summary>Deletes every row of a crawl (retention clean-up).</summary>
    public async Task<int> DeleteCrawlAsync(string crawlId, CancellationToken ct)
    {
        var deleted = 0;
        var batch = new List<TableTransactionAction>();
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.PartitionKey == crawlId, select: ["RowKey"], cancellationToken: ct))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(crawlId, e.RowKey), ETag.All));
            if (batch.Count == MaxTransaction)
            {
                await _table.SubmitTransactionAsync(batch, ct);
                deleted += batch.Count;
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            await _table.SubmitTransactionAsync(batch, ct);
            deleted += batch.Count;
        }
        return deleted;
    }

    /// <summary>The smallest string greater than every string starting with <paramref name="prefix"/>.</summary>
    private static string After(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}
