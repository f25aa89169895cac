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

    /// <summary>Not in the category's dataset before this crawl.</summary>
    public bool IsNew { get; init; }

    /// <summary>What a JSON list told of it, with what is left to fetch; null for a playlist met on an HTML list page.</summary>
    public ListedDraft? Listed { get; init; }
}

/// <summary>A playlist's row as a JSON list gave it (the stored cover when unchanged), and what its fetch must still get.</summary>
public sealed record ListedDraft(PlaylistRecord Record, bool NeedsDetail, bool NeedsCover)
{
    /// <summary>The playlist is new to the dataset, or its track list changed since the stored one (or none is stored).</summary>
    public bool NeedsTracks { get; init; }
}

/// <summary>Who fetches a playlist id in a crawl: this delivery (<see cref="Won"/>), someone who already did, or someone doing it now.</summary>
public sealed record FetchClaim(bool Won, ScrapedPlaylist? Fetched, DateTimeOffset? HeldSince)
{
    /// <summary>The claim row's ETag when this delivery won it: what gives it back, and only while it is still this claim.</summary>
    public ETag Held { get; init; }

    public static FetchClaim Of(Response won) => new(true, null, null) { Held = won.Headers.ETag ?? default };
}

/// <summary>
/// A crawl's exact figures, as its item table holds them (taken once, when the crawl finishes), with one failed page and
/// one failed playlist as examples for the reason of a crawl that failed whole.
/// </summary>
public sealed record CrawlTally(Dictionary<string, CategoryCounts> Counts, int CoversStored, long CoverBytes, int CoversMissing,
    string? PageFailure = null, string? PlaylistFailure = null)
{
    /// <summary>Every playlist id the crawl met, per category, whatever became of it: what the gone count compares with. Not kept in the registry.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, HashSet<long>> Listed { get; init; } = new Dictionary<string, HashSet<long>>();

    /// <summary>Why a crawl with no open work failed (nothing it read succeeded), or null when it completed.</summary>
    public string? FailedReason
    {
        get
        {
            var all = Counts.Values;
            if (all.Sum(c => c.PagesDone) == 0 && all.Sum(c => c.PagesFailed) > 0) return $"every list page failed: {PageFailure}";
            if (all.Sum(c => c.Discovered) > 0 && all.Sum(c => c.Done + c.Skipped) == 0 && all.Sum(c => c.Failed) > 0)
                return $"every playlist failed: {PlaylistFailure}";
            return null;
        }
    }}

/// <summary>Where a category's list pages are read: the site's JSON list answers or its HTML list pages.</summary>
public static class ListSources
{
    public const string Api = "api", Page = "page";
}

/// <summary>A category's plan: how many list pages, read from which <see cref="ListSources"/>.</summary>
public sealed record CategoryPlan(int Pages, string Lists);

/// <summary>One playlist a list page shows, as the page step hands it to the item table.</summary>
public sealed record ListedItem(long Id)
{
    /// <summary>Complete from the list and its cover unchanged: recorded done at once, with no message and no request.</summary>
    public PlaylistRecord? Row { get; init; }

    /// <summary>What a JSON list told already (its fields, the stored cover), for the fetch to complete; null on HTML lists.</summary>
    public PlaylistRecord? Draft { get; init; }

    /// <summary>With a draft: the list item lacked a field (or one did not parse), so the detail is asked for.</summary>
    public bool NeedsDetail { get; init; } = true;

    /// <summary>With a draft: the playlist is new to the category's dataset or its cover URL changed.</summary>
    public bool NeedsCover { get; init; } = true;

    /// <summary>With a draft: the playlist's track list is to be fetched (tracks on, and new or changed since the stored one).</summary>
    public bool NeedsTracks { get; init; }

    /// <summary>Not in the dataset's latest view of the category before this crawl.</summary>
    public bool IsNew { get; init; }
}

/// <summary>What finishing a page recorded: the playlists left to fetch (for their messages), the rows done from the list, the repeats.</summary>
public sealed record FinishedPage(IReadOnlyList<PlaylistRef> Pending, IReadOnlyList<PlaylistRecord> Recorded, int Repeats);

/// <summary>The crawl's unfinished work, as its open rows list it: what resuming sends again.</summary>
public sealed record OpenWork(List<(string Category, int PageIndex)> Pages, List<(string Category, long PlaylistId)> Playlists)
{
    public bool IsEmpty => Pages.Count == 0 && Playlists.Count == 0;
}

/// <summary>
/// Table <c>CrawlItems</c>, one partition per crawl: the crawl's frontier and the only judge of its completion and final
/// counts (the status entity only displays them). Every first transition is a conditional write, so exactly one delivery
/// wins it and signals it:
/// <list type="bullet">
/// <item><c>open|page|&lt;category&gt;|&lt;index&gt;</c>, <c>open|list|&lt;category&gt;|&lt;id&gt;</c> — the unfinished work:
/// a page to read, a playlist to finish. Each is written in the transaction that creates the work and deleted in the one
/// that finishes it, so the crawl is complete exactly when the <c>open|</c> range is empty, and resuming reads that range.</item>
/// <item><c>plan|&lt;category&gt;</c> — the category's page count, from its page 0 (the first plan wins).</item>
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
    private const string OpenPrefix = "open|", PlanPrefix = "plan|";
    private const int MaxTransaction = TableBatches.MaxActions;

    /// <summary>Most playlists one page may show: its row, its open row's delete and two rows per playlist fit one transaction.</summary>
    public const int MaxPlaylistsPerPage = (MaxTransaction - 2) / 2;

    private readonly TableClient _table = storage.Tables.GetTableClient(Name);

    public Task EnsureCreatedAsync(CancellationToken ct) => _table.CreateIfNotExistsAsync(ct);

    private static string Cat(string category) => PlaylistTable.CategoryKey(category);
    private static string PageKey(string category, int index) => $"page|{Cat(category)}|{index.ToString("D6", CultureInfo.InvariantCulture)}";
    private static string ListKey(string category, long id) => $"list|{Cat(category)}|{id.ToString("D20", CultureInfo.InvariantCulture)}";
    private static string FetchKey(long id) => $"fetch|{id.ToString("D20", CultureInfo.InvariantCulture)}";
    private static string PlanKey(string category) => PlanPrefix + Cat(category);
    private static string OpenPageKey(string category, int index) => OpenPrefix + PageKey(category, index);
    private static string OpenListKey(string category, long id) => OpenPrefix + ListKey(category, id);

    private static TableTransactionAction OpenPage(string crawlId, string category, int index) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(crawlId, OpenPageKey(category, index)) { ["Category"] = category, ["PageIndex"] = index });

    private static TableTransactionAction OpenPlaylist(string crawlId, string category, long id) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(crawlId, OpenListKey(category, id)) { ["Category"] = category, ["PlaylistId"] = id });

    private static TableTransactionAction Close(string crawlId, string openKey) =>
        new(TableTransactionActionType.Delete, new TableEntity(crawlId, openKey), ETag.All);

    /// <summary>Opens a new crawl's work: page 0 of each category. Written before the crawl is registered, so a registered crawl never looks finished.</summary>
    public async Task OpenCrawlAsync(string crawlId, IReadOnlyList<string> categories, CancellationToken ct)
    {
        foreach (var batch in categories.Distinct(StringComparer.Ordinal).Select(c => OpenPage(crawlId, c, 0)).Chunk(MaxTransaction))
            await _table.SubmitTransactionAsync(batch, ct);
    }

    public async Task<bool> IsPageFinishedAsync(string crawlId, string category, int index, CancellationToken ct) =>
        (await _table.GetEntityIfExistsAsync<TableEntity>(crawlId, PageKey(category, index), ["State"], ct)).HasValue;

    /// <summary>
    /// Plans a category from its page 0: <paramref name="pages"/> pages read from <paramref name="lists"/>
    /// (<see cref="ListSources"/>), and opens pages 1 to pages − 1, in one transaction. The first plan wins (the hot order
    /// can shift the pager between redeliveries); a plan stood in for by a failed page 0 gives way to the real one.
    /// Returns the category's plan as it now stands.
    /// </summary>
    public async Task<CategoryPlan> PlanAsync(string crawlId, string category, int pages, string lists, CancellationToken ct)
    {
        if (pages > MaxTransaction) throw new ArgumentOutOfRangeException(nameof(pages), pages, $"a category is planned with at most {MaxTransaction} pages");
        var plan = new TableEntity(crawlId, PlanKey(category)) { ["Category"] = category, ["Pages"] = pages, ["ByFailure"] = false, ["Lists"] = lists };
        var opened = Enumerable.Range(1, pages - 1).Select(i => OpenPage(crawlId, category, i));
        try
        {
            await _table.SubmitTransactionAsync([new(TableTransactionActionType.Add, plan), .. opened], ct);
            return new CategoryPlan(pages, lists);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex is 0 or null)
        {
        }
        var existing = (await _table.GetEntityAsync<TableEntity>(crawlId, PlanKey(category), cancellationToken: ct)).Value;
        if (existing.GetBoolean("ByFailure") != true) return new CategoryPlan(existing.GetInt32("Pages") ?? pages, existing.GetString("Lists") ?? ListSources.Page);
        try
        {
            await _table.SubmitTransactionAsync([new(TableTransactionActionType.UpdateReplace, plan, existing.ETag), .. opened], ct);
            return new CategoryPlan(pages, lists);
        }
        catch (TableTransactionFailedException x) when (x.Status is 412 or 404)
        {
            return await PlanAsync(crawlId, category, pages, lists, ct); // planned meanwhile by another delivery: read it again
        }
    }

    /// <summary>Where the category's planned pages are read from, or null before it is planned.</summary>
    public async Task<string?> PlannedListsAsync(string crawlId, string category, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(crawlId, PlanKey(category), ["Lists", "ByFailure"], ct);
        return row.HasValue && row.Value is { } e && e.GetBoolean("ByFailure") != true ? e.GetString("Lists") ?? ListSources.Page : null;
    }

    /// <summary>
    /// Finishes a page and records the playlists it shows that the category has not met yet: those complete from the list
    /// (<see cref="ListedItem.Row"/>) as done at once, the others pending with an open row. A page's worth (up to
    /// <see cref="MaxPlaylistsPerPage"/>) is one transaction; a longer list answer goes in a few, the page row last, and
    /// every row carries the page's index, so a redelivery after a crash in between knows its own rows from repeats of
    /// another page. Returns the pending ones with their rows' ETags and the rows recorded, or null when the page was
    /// already finished.
    /// </summary>
    /// <param name="repeatsWithin">Ids the answer itself held twice (kept once by its parser), counted with the page's repeats.</param>
    public async Task<FinishedPage?> FinishListedPageAsync(string crawlId, string category, int index, IReadOnlyList<ListedItem> listed,
        DateTimeOffset at, CancellationToken ct, int repeatsWithin = 0)
    {
        var fresh = listed.DistinctBy(l => l.Id).ToList();
        var repeats = listed.Count - fresh.Count + repeatsWithin;
        var close = true;
        var pending = new List<PlaylistRef>();
        var recorded = new List<PlaylistRecord>();
        var earlier = new HashSet<long>(); // rows an earlier try of this page wrote
        // A batch fails whole on the first row that exists: drop that row and try again (a repeat from the previous page,
        // a concurrent delivery, or this page's own earlier try). The page row goes last, so it is written only with the rest.
        while (true)
        {
            var todo = fresh.Where(l => !earlier.Contains(l.Id)).ToList();
            var groups = todo.Select(l => ListedRows(crawlId, category, index, l, at)).ToList();
            var pageRows = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, new TableEntity(crawlId, PageKey(category, index))
                {
                    ["State"] = Done, ["Category"] = category, ["Discovered"] = fresh.Count, ["Repeats"] = repeats, ["ChangedAt"] = at,
                }),
            };
            if (close) pageRows.Add(Close(crawlId, OpenPageKey(category, index)));
            groups.Add(pageRows);
            var written = 0;
            List<TableTransactionAction>? current = null;
            try
            {
                foreach (var batch in TableBatches.Split(groups))
                {
                    current = batch;
                    var answers = (await _table.SubmitTransactionAsync(batch, ct)).Value;
                    // Each insert's answer carries the new row's ETag: the playlist's message takes it along, so moving the
                    // row on needs no read first.
                    for (var a = 0; a < batch.Count; a++)
                    {
                        var key = batch[a].Entity.RowKey;
                        if (!key.StartsWith("list|", StringComparison.Ordinal)) continue;
                        var l = todo[written++];
                        if (l.Row is { } row) recorded.Add(row);
                        else pending.Add(new PlaylistRef(l.Id, a < answers.Count ? EtagOf(answers[a]) : null) { New = l.IsNew, Listed = l.Draft is not null });
                    }
                    earlier.UnionWith(todo.Take(written).Select(l => l.Id));
                }
                return new FinishedPage(pending, recorded, repeats);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 404)
            {
                if (e.FailedTransactionActionIndex is not { } failed || current is null || failed >= current.Count) throw;
                var key = current[failed].Entity.RowKey;
                if (key == PageKey(category, index)) return null; // finished already
                if (key == OpenPageKey(category, index)) { close = false; continue; } // no open row (a crawl from before open rows)
                var l = todo.First(t => ListKey(category, t.Id) == key);
                var row = await _table.GetEntityIfExistsAsync<TableEntity>(crawlId, key, ["Page"], ct);
                if (!row.HasValue || row.Value is not { } existing || existing.GetInt32("Page") != index)
                {
                    fresh.Remove(l); // a repeat: another page of the category showed it first
                    repeats++;
                    continue;
                }
                // Written by this page's earlier try, which died before its page row, or by a delivery finishing it now.
                if (await IsPageFinishedAsync(crawlId, category, index, ct)) return null;
                // Take over every row of that try (its answer may have been another order of the list): the pending ones
                // get their message (it may not have been sent), the done ones their signal, and the page counts them all.
                await foreach (var mine in _table.QueryAsync<TableEntity>(
                    RangeFilter(crawlId, $"list|{Cat(category)}|") + $" and Page eq {index.ToString(CultureInfo.InvariantCulture)}", cancellationToken: ct))
                {
                    var id = mine.GetInt64("PlaylistId") ?? 0;
                    if (!earlier.Add(id)) continue;
                    if (!fresh.Any(f => f.Id == id)) fresh.Add(new ListedItem(id));
                    if (mine.GetString("State") == Pending)
                        pending.Add(new PlaylistRef(id, EtagOf(mine.ETag)) { New = mine.GetBoolean("New") == true, Listed = mine.GetBoolean("NeedsDetail") is not null });
                    else if (mine.GetString("State") == Done)
                        recorded.Add(PlaylistRecord.FromEntity(mine) with { Category = category });
                }
            }
        }
    }

    /// <summary>The rows one listed playlist adds to its page's transaction: done with its record, or pending with its open row.</summary>
    private static IReadOnlyList<TableTransactionAction> ListedRows(string crawlId, string category, int index, ListedItem l, DateTimeOffset at)
    {
        var source = l.Row ?? l.Draft;
        var entity = source is not null ? source.ToEntity(crawlId) : new TableEntity(crawlId, "");
        entity.RowKey = ListKey(category, l.Id);
        entity["State"] = l.Row is not null ? Done : Pending;
        entity["Category"] = category;
        entity["PlaylistId"] = l.Id;
        entity["Page"] = index;
        entity["New"] = l.IsNew;
        entity["ChangedAt"] = at;
        if (l.Row is not null) entity["Detailed"] = false;
        else if (l.Draft is not null)
        {
            entity["NeedsDetail"] = l.NeedsDetail;
            entity["NeedsCover"] = l.NeedsCover;
            entity["NeedsTracks"] = l.NeedsTracks;
        }
        var add = new TableTransactionAction(TableTransactionActionType.Add, entity);
        return l.Row is not null ? [add] : [add, OpenPlaylist(crawlId, category, l.Id)];
    }

    private static string? EtagOf(Response answer) => answer.Headers.ETag is { } etag ? EtagOf(etag) : null;

    private static string? EtagOf(ETag etag) => string.IsNullOrEmpty(etag.ToString()) ? null : etag.ToString();

    /// <summary>
    /// Marks a page failed (its last try gave up); false when it was already finished. A failed page 0 stands in for its
    /// category's plan as that one page, so the crawl can end; a real plan replaces it once the page is read after all.
    /// </summary>
    public async Task<bool> FailPageAsync(string crawlId, string category, int index, string reason, DateTimeOffset at, CancellationToken ct)
    {
        var close = true;
        var plan = index == 0;
        while (true)
        {
            var batch = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, new TableEntity(crawlId, PageKey(category, index))
                {
                    ["State"] = Failed, ["Category"] = category, ["Reason"] = reason, ["ChangedAt"] = at,
                }),
            };
            if (close) batch.Add(Close(crawlId, OpenPageKey(category, index)));
            if (plan)
                batch.Add(new(TableTransactionActionType.Add,
                    new TableEntity(crawlId, PlanKey(category)) { ["Category"] = category, ["Pages"] = 1, ["ByFailure"] = true }));
            try
            {
                await _table.SubmitTransactionAsync(batch, ct);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 404)
            {
                switch (e.FailedTransactionActionIndex)
                {
                    case 0 or null: return false;
                    case 1 when close: close = false; break;
                    default: plan = false; break; // planned already (page 0 was read, then failed to finish)
                }
            }
        }
    }

    /// <summary>A playlist's pending or finished row; with <paramref name="listed"/>, also what a JSON list told of it.</summary>
    public async Task<PlaylistItem?> GetPlaylistAsync(string crawlId, string category, long id, CancellationToken ct, bool listed = false)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(crawlId, ListKey(category, id), listed ? null : ["State", "New"], ct);
        if (!row.HasValue || row.Value is not { } e) return null;
        var state = e.GetString("State") ?? Pending;
        var draft = listed && state == Pending && e.GetBoolean("NeedsDetail") is { } needsDetail
            ? new ListedDraft(PlaylistRecord.FromEntity(e), needsDetail, e.GetBoolean("NeedsCover") != false) { NeedsTracks = e.GetBoolean("NeedsTracks") == true }
            : null;
        return new PlaylistItem(crawlId, category, id, state, e.ETag) { IsNew = e.GetBoolean("New") == true, Listed = draft };
    }

    /// <summary>One playlist's move to its final state, as <see cref="FinishPlaylistsAsync"/> takes it.</summary>
    public sealed record Finish(PlaylistItem Item, string State, PlaylistRecord? Record, string? Reason, ScrapedPlaylist? Fetched)
    {
        /// <summary>A done row whose details came from a detail request (else from the list answer).</summary>
        public bool Detailed { get; init; }
    }

    /// <summary>
    /// Moves playlists of one crawl from pending to their final state (with the record when done), closes their open rows,
    /// and keeps what this delivery fetched for the ids (<see cref="Finish.Fetched"/>), in as few transactions as the limits
    /// allow (one for a page's worth). Returns the ids whose move this call won; a row another delivery moved first is left
    /// out (its ETag changed and the row is no longer pending), while one whose ETag was merely stale is moved.
    /// </summary>
    public async Task<IReadOnlySet<long>> FinishPlaylistsAsync(IReadOnlyList<Finish> finishes, DateTimeOffset at, CancellationToken ct)
    {
        var won = new HashSet<long>();
        if (finishes.Count == 0) return won;
        var crawlId = finishes[0].Item.CrawlId;
        var pending = finishes.DistinctBy(f => (f.Item.Category, f.Item.PlaylistId)).ToDictionary(f => ListKey(f.Item.Category, f.Item.PlaylistId));
        var kept = finishes.Where(f => f.Fetched is not null).DistinctBy(f => f.Item.PlaylistId)
            .Select(f => new TableTransactionAction(TableTransactionActionType.UpsertReplace, FetchEntity(crawlId, f.Item.PlaylistId, f.Fetched!, at))).ToList();
        var unopened = new HashSet<string>(StringComparer.Ordinal); // moves whose open row is not there to close
        while (pending.Count > 0 || kept.Count > 0)
        {
            // A move and the close of its open row stay in one transaction.
            var groups = pending.Select(p => (IReadOnlyList<TableTransactionAction>)(unopened.Contains(p.Key)
                    ? [new(TableTransactionActionType.UpdateReplace, MoveEntity(p.Value, at), p.Value.Item.ETag)]
                    : [new(TableTransactionActionType.UpdateReplace, MoveEntity(p.Value, at), p.Value.Item.ETag), Close(crawlId, OpenPrefix + p.Key)]))
                .Concat(kept.Select(k => (IReadOnlyList<TableTransactionAction>)[k])).ToList();
            var lost = false;
            foreach (var batch in TableBatches.Split(groups))
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
                    var key = batch[failed].Entity.RowKey;
                    if (key.StartsWith(OpenPrefix, StringComparison.Ordinal)) unopened.Add(key[OpenPrefix.Length..]);
                    else
                    {
                        // One row's ETag did not match: see whether it moved on (lost) or only its ETag was stale, then send the rest again.
                        if (!pending.TryGetValue(key, out var f)) throw;
                        var now = await GetPlaylistAsync(crawlId, f.Item.Category, f.Item.PlaylistId, ct);
                        if (now is null || now.IsFinished) pending.Remove(key);
                        else pending[key] = f with { Item = now };
                    }
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
        entity["New"] = f.Item.IsNew;
        if (f.State == Done) entity["Detailed"] = f.Detailed;
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
                    var answers = (await _table.SubmitTransactionAsync(batch, ct)).Value;
                    for (var i = 0; i < free.Count; i++) claims[free[i]] = FetchClaim.Of(answers[i]);
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
            return FetchClaim.Of(await _table.AddEntityAsync(new TableEntity(crawlId, FetchKey(id)) { ["State"] = Fetching, ["ClaimedAt"] = now, ["ChangedAt"] = now }, ct));
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
            return FetchClaim.Of(await _table.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Replace, ct));
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return new FetchClaim(false, null, since);
        }
    }

    private static TableEntity FetchEntity(string crawlId, long id, ScrapedPlaylist scraped, DateTimeOffset at)
    {
        var entity = scraped.Record is { } record ? record.ToEntity(crawlId) : new TableEntity(crawlId, "") { ["Reason"] = scraped.GoneReason };
        entity.RowKey = FetchKey(id);
        entity["State"] = scraped.Record is not null ? Fetched : Gone;
        entity["ChangedAt"] = at;
        return entity;
    }

    /// <summary>
    /// Gives claims back (their fetches were deferred, failed or cancelled), so the next delivery fetches at once: one
    /// transaction per hundred, each row deleted only while it is still the claim won (a claim recorded since, taken over
    /// when stale, or given back by a resume is left as it is).
    /// </summary>
    public async Task ReleaseFetchesAsync(string crawlId, IReadOnlyDictionary<long, ETag> claims, CancellationToken ct)
    {
        foreach (var chunk in claims.Chunk(MaxTransaction))
        {
            var held = chunk.ToList();
            while (held.Count > 0)
            {
                try
                {
                    await _table.SubmitTransactionAsync(held.Select(c => new TableTransactionAction(TableTransactionActionType.Delete,
                        new TableEntity(crawlId, FetchKey(c.Key)), c.Value)), ct);
                    break;
                }
                catch (TableTransactionFailedException e) when (e.Status is 404 or 412 && e.FailedTransactionActionIndex is { } failed && failed < held.Count)
                {
                    held.RemoveAt(failed); // no longer this delivery's claim
                }
            }
        }
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
    /// As <see cref="ReadRowsAsync(string, IEnumerable{string}, CancellationToken)"/> for one category, reading only
    /// <paramref name="columns"/> (and the id): what history and the category changes need, without the text. The record's
    /// other fields keep their defaults.
    /// </summary>
    public async IAsyncEnumerable<PlaylistRecord> ReadRowsAsync(string crawlId, string category, IReadOnlyCollection<string> columns,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var prefix = $"list|{Cat(category)}|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {crawlId} and RowKey ge {prefix} and RowKey lt {After(prefix)} and State eq {Done}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: [.. columns.Append("PlaylistId").Distinct(StringComparer.Ordinal)], cancellationToken: ct))
            yield return PlaylistRecord.FromEntity(e) with { Category = category };
    }

    /// <summary>Whether the crawl holds a done row of the category: one range query for the first, its key only.</summary>
    public async Task<bool> HasRowsAsync(string crawlId, string category, CancellationToken ct)
    {
        var prefix = $"list|{Cat(category)}|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {crawlId} and RowKey ge {prefix} and RowKey lt {After(prefix)} and State eq {Done}");
        await foreach (var _ in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: ct))
            return true;
        return false;
    }

    /// <summary>Whether the crawl has unfinished work: one range query for its first open row.</summary>
    public async Task<bool> HasOpenWorkAsync(string crawlId, CancellationToken ct)
    {
        await foreach (var _ in _table.QueryAsync<TableEntity>(RangeFilter(crawlId, OpenPrefix), maxPerPage: 1, select: ["RowKey"], cancellationToken: ct))
            return true;
        return false;
    }

    /// <summary>The crawl's unfinished work: its open rows, in key order (pages, then playlists).</summary>
    public async Task<OpenWork> ReadOpenAsync(string crawlId, CancellationToken ct)
    {
        var open = new OpenWork([], []);
        await foreach (var e in _table.QueryAsync<TableEntity>(RangeFilter(crawlId, OpenPrefix), select: ["RowKey", "Category", "PageIndex", "PlaylistId"], cancellationToken: ct))
        {
            if (e.GetString("Category") is not { } category) continue;
            if (e.GetInt32("PageIndex") is { } index) open.Pages.Add((category, index));
            else if (e.GetInt64("PlaylistId") is { } id) open.Playlists.Add((category, id));
        }
        return open;
    }

    /// <summary>The categories planned so far (page 0 read, or failed for good), with their page counts.</summary>
    public async Task<Dictionary<string, int>> ReadPlansAsync(string crawlId, CancellationToken ct)
    {
        var plans = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var e in _table.QueryAsync<TableEntity>(RangeFilter(crawlId, PlanPrefix), select: ["Category", "Pages"], cancellationToken: ct))
            if (e.GetString("Category") is { } category) plans[category] = e.GetInt32("Pages") ?? 1;
        return plans;
    }

    /// <summary>
    /// Gives back the fetch claims still held in the crawl (its deliveries died with their process): resuming does this
    /// first, so the work it sends again is fetched at once rather than after the claims go stale.
    /// </summary>
    public async Task<int> ReleaseClaimsAsync(string crawlId, CancellationToken ct)
    {
        var released = 0;
        var filter = $"{RangeFilter(crawlId, "fetch|")} and State eq '{Fetching}'";
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
        {
            try
            {
                await _table.DeleteEntityAsync(crawlId, e.RowKey, e.ETag, ct);
                released++;
            }
            catch (RequestFailedException x) when (x.Status is 404 or 412) { }
        }
        return released;
    }

    /// <summary>Counts the crawl's items, once (when it finishes): pages, playlists by state, and covers of the ids fetched.</summary>
    public async Task<CrawlTally> TallyAsync(string crawlId, CancellationToken ct)
    {
        var counts = new Dictionary<string, CategoryCounts>(StringComparer.Ordinal);
        int coversStored = 0, coversMissing = 0;
        long coverBytes = 0;
        string? pageFailure = null, playlistFailure = null;
        CategoryCounts For(string c) => counts.TryGetValue(c, out var k) ? k : counts[c] = new CategoryCounts();
        var listed = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        var select = new[] { "RowKey", "State", "Category", "Discovered", "Repeats", "Pages", "ByFailure", "CoverBytes", "CoverBlob", "Reason", "PlaylistId", "Detailed", "New" };
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.PartitionKey == crawlId, select: select, cancellationToken: ct))
        {
            var state = e.GetString("State");
            var category = e.GetString("Category");
            if (e.RowKey.StartsWith(PlanPrefix, StringComparison.Ordinal) && category is not null)
            {
                For(category).PagesTotal = e.GetInt32("Pages");
                For(category).PlannedByFailure = e.GetBoolean("ByFailure") == true;
            }
            else if (e.RowKey.StartsWith("page|", StringComparison.Ordinal) && category is not null)
            {
                var k = For(category);
                if (state == Failed)
                {
                    k.PagesFailed++;
                    pageFailure ??= $"page {int.Parse(e.RowKey[(e.RowKey.LastIndexOf('|') + 1)..], CultureInfo.InvariantCulture) + 1} of {category}: {e.GetString("Reason")}";
                }
                else
                {
                    k.PagesDone++;
                    k.Discovered += e.GetInt32("Discovered") ?? 0;
                    k.Repeats += e.GetInt32("Repeats") ?? 0;
                }
            }
            else if (e.RowKey.StartsWith("list|", StringComparison.Ordinal) && category is not null)
            {
                var k = For(category);
                if (e.GetInt64("PlaylistId") is { } listedId) (listed.TryGetValue(category, out var ids) ? ids : listed[category] = []).Add(listedId);
                switch (state)
                {
                    case Done:
                        k.Done++;
                        if (e.GetBoolean("Detailed") == false) k.Refreshed++;
                        else k.Detailed++;
                        if (e.GetBoolean("New") == true) k.New++;
                        break;
                    case Skipped: k.Skipped++; break;
                    case Failed:
                        k.Failed++;
                        playlistFailure ??= $"playlist {e.GetInt64("PlaylistId")} in {category}: {e.GetString("Reason")}";
                        break;
                }
            }
            else if (e.RowKey.StartsWith("fetch|", StringComparison.Ordinal) && state == Fetched)
            {
                if (!string.IsNullOrEmpty(e.GetString("CoverBlob")))
                {
                    coversStored++;
                    coverBytes += e.GetInt64("CoverBytes") ?? 0;
                }
                else coversMissing++;
            }
        }
        return new CrawlTally(counts, coversStored, coverBytes, coversMissing, pageFailure, playlistFailure) { Listed = listed };
    }

    /// <summary>Puts failed items back to open (their poison messages were requeued); returns how many moved, per category.</summary>
    public async Task<Dictionary<string, (int Pages, int Playlists)>> ReopenFailedAsync(string crawlId, IEnumerable<(string Category, int? PageIndex, long? PlaylistId)> items,
        DateTimeOffset at, CancellationToken ct)
    {
        var moved = new Dictionary<string, (int Pages, int Playlists)>(StringComparer.Ordinal);
        foreach (var (category, pageIndex, playlistId) in items)
        {
            var key = pageIndex is { } index ? PageKey(category, index) : ListKey(category, playlistId ?? 0);
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(crawlId, key, ["State"], ct);
            if (!row.HasValue || row.Value is not { } e || e.GetString("State") != Failed) continue;
            // An unfinished page has no row; a pending playlist keeps its row. Either way its open row comes back with it.
            TableTransactionAction[] reopen = pageIndex is { } page
                ? [new(TableTransactionActionType.Delete, new TableEntity(crawlId, key), e.ETag), OpenPage(crawlId, category, page)]
                : [new(TableTransactionActionType.UpdateMerge, new TableEntity(crawlId, key) { ["State"] = Pending, ["ChangedAt"] = at }, e.ETag),
                   OpenPlaylist(crawlId, category, playlistId ?? 0)];
            try
            {
                await _table.SubmitTransactionAsync(reopen, ct);
            }
            catch (TableTransactionFailedException x) when (x.Status is 404 or 412)
            {
                continue;
            }
            var (pages, playlists) = moved.GetValueOrDefault(category);
            moved[category] = pageIndex is not null ? (pages + 1, playlists) : (pages, playlists + 1);
        }
        return moved;
    }

    private static string RangeFilter(string crawlId, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {crawlId} and RowKey ge {prefix} and RowKey lt {After(prefix)}");

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
