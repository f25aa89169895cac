using System.Collections.Concurrent;
using Azure;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Logging;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The playlist consumer: takes the playlists one list page showed first (one message), and for each fetches its
/// details and cover (once per crawl, whatever the number of categories it appears in), records it under its
/// category, and reports it done, skipped or failed.
/// <para>
/// The playlists go in chunks: the first of one playlist (so the first rows show within seconds), then twice as many
/// each time, up to about four seconds of requests at the configured rate. A chunk's claims are one transaction, its
/// moves one more, its dataset rows one more; its fetches run side by side, paced by the client. A playlist that fails
/// is tried again later in a message of its own, with its tries counted, so it never holds back the rest of its page.
/// </para>
/// </summary>
public sealed class ScrapePlaylist(NetEaseClient site, CrawlItemTable items, PlaylistTable playlists, CoverStore covers, CrawlQueues queues,
    ICrawlProgressSink progress, Politeness politeness, CancelledCrawls cancelled, FinishCrawl finish, IOptions<NetEaseOptions> options, TimeProvider time,
    ILogger<ScrapePlaylist> log)
{
    /// <summary>How long another delivery waits for the one fetching the same id before looking again.</summary>
    private static readonly TimeSpan WaitForFetch = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After this long one message hands what it has not started to a new message: a function invocation stays well
    /// inside the Functions host's time limit however slow the configured rate.
    /// </summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Per crawl and category: how many covers were looked up before fetching, and how many of those were stored
    /// already. A category crawled for the first time has none stored, so after <see cref="ProbesBeforeTrusting"/>
    /// lookups that found nothing its covers are written conditionally instead (one transaction, not two); a cover
    /// stored after all is then found by the conditional write and treated as after a lookup.
    /// </summary>
    private readonly ConcurrentDictionary<(string CrawlId, string Category), (int Probes, int Found)> _coverLookups = new();

    private const int ProbesBeforeTrusting = 8;

    /// <summary>
    /// Fetches in flight in this process, whatever the number of messages: about one second of requests at the rate
    /// (2 to 64). The pacer serves requests in turn, so more in flight would not go faster, only make each playlist
    /// wait behind all the others: at 10 req/s, 12 messages of 8 fetches each kept the first playlist from finishing
    /// for 25 s.
    /// </summary>
    private readonly SemaphoreSlim _inFlight = new((int)Math.Clamp(Math.Ceiling(options.Value.RequestsPerSecond), 2, 64));

    /// <summary>Fetches of one message in flight at once (the client's pacer decides when each leaves).</summary>
    private const int FetchesPerMessage = 8;

    /// <summary>The largest chunk: about four seconds of requests (a detail page and a cover each) at the rate, at most a page.</summary>
    private int MaxChunk => (int)Math.Clamp(Math.Floor(options.Value.RequestsPerSecond * 2), 1, PlaylistWork.MaxPlaylists);

    public async Task RunAsync(PlaylistWork work, Delivery delivery, CancellationToken ct)
    {
        using var scope = log.BeginCrawlScope(work.CrawlId);
        if (await cancelled.IsCancelledAsync(work.CrawlId, ct)) return; // replaced by a newer crawl (--new)
        var todo = work.Items.DistinctBy(p => p.Id).ToList();
        var tries = new Tries(work.Retries + (int)Math.Max(1, delivery.DequeueCount), delivery.MaxDequeueCount, delivery.RetryDelay);
        var started = time.GetTimestamp();
        // Chunks overlap: the next one is claimed once every fetch of the one before holds a slot, and each is finished
        // as soon as its own fetches end, so the fetch slots never wait on a chunk's slowest fetch or its transactions.
        var slots = new SemaphoreSlim(FetchesPerMessage);
        var chunks = new List<Task<Deferred?>>();
        var next = 0;
        var size = 1;
        try
        {
            List<PlaylistRef> rest = [];
            TimeSpan? restDelay = null;
            while (next < todo.Count)
            {
                if (next > 0 && time.GetElapsedTime(started) >= Budget)
                {
                    rest = todo[next..];
                    break;
                }
                if (next > 0 && await politeness.DeferByAsync(work.CrawlId, ct) is { } wait)
                {
                    (rest, restDelay) = (todo[next..], wait);
                    break;
                }
                var chunk = todo.Skip(next).Take(size).ToList();
                var claimed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                chunks.Add(RunChunkAsync(work, chunk, tries, delivery.DequeueCount > 1, slots, claimed, ct));
                await claimed.Task;
                next += chunk.Count;
                if (chunks[^1].IsFaulted || chunks[^1].IsCanceled) break; // its exception ends the message below
                size = Math.Min(size * 2, MaxChunk);
            }
            var deferred = (await Task.WhenAll(chunks)).OfType<Deferred>().ToList();
            if (deferred.Count > 0 || restDelay is not null)
            {
                // Paused (a block here or elsewhere): what is left waits for the pause, without using up a try.
                var delay = deferred.Select(d => d.Delay).Append(restDelay ?? TimeSpan.Zero).Max();
                rest = [.. deferred.SelectMany(d => d.Playlists), .. rest];
                await queues.EnqueueAsync(work with { Playlists = rest, PlaylistId = null }, ct, delay);
            }
            else if (rest.Count > 0) await queues.EnqueueAsync(work with { Playlists = rest, PlaylistId = null }, ct);
            else await finish.RunAsync(work.CrawlId, ct); // the crawl's last work may have been this message's
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // No chunk is left running behind a failed message.
            await Task.WhenAll(chunks.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
            if (!tries.IsLast) throw;
            // The message itself failed on its last try (storage, most likely): what it has not finished ends failed.
            var reason = ExpectedFailure.Of(e).Reason;
            var failed = await FailAsync(work, todo, reason, ct);
            if (failed.Count > 0) await queues.SendToPoisonAsync(work with { Playlists = failed, Retries = tries.Number, PlaylistId = null }, ct);
            await finish.RunAsync(work.CrawlId, ct);
            throw;
        }
    }

    /// <summary>This try's number for the playlists of a message, and whether no try follows it.</summary>
    private readonly record struct Tries(int Number, int Max, TimeSpan RetryDelay)
    {
        public bool IsLast => Number >= Max;
    }

    /// <summary>Playlists to send again after a pause, and when.</summary>
    private sealed record Deferred(List<PlaylistRef> Playlists, TimeSpan Delay);

    /// <summary>What one playlist's fetch came to.</summary>
    private sealed record Fetch(ScrapedPlaylist? Scraped, bool Fetched, TimeSpan? Defer = null, string? Failure = null, bool Waiting = false);

    private static PlaylistItem Item(PlaylistWork work, PlaylistRef p) =>
        new(work.CrawlId, work.Category, p.Id, CrawlItemTable.Pending, p.ETag is { } etag ? new ETag(etag) : default);

    private static PlaylistRef Ref(PlaylistItem item) => new(item.PlaylistId, item.ETag.ToString() is { Length: > 0 } etag ? etag : null);

    /// <summary>
    /// Claims a chunk's playlists, fetches those it won in the message's shared slots (<paramref name="claimed"/> is set
    /// once each holds one, or none is needed), and finishes the chunk.
    /// </summary>
    private async Task<Deferred?> RunChunkAsync(PlaylistWork work, List<PlaylistRef> chunk, Tries tries, bool redelivered, SemaphoreSlim slots,
        TaskCompletionSource claimed, CancellationToken ct)
    {
        try
        {
            return await RunChunkAsync(work, chunk, tries, redelivered, slots, () => claimed.TrySetResult(), ct);
        }
        finally
        {
            claimed.TrySetResult();
        }
    }

    private async Task<Deferred?> RunChunkAsync(PlaylistWork work, List<PlaylistRef> chunk, Tries tries, bool redelivered, SemaphoreSlim slots,
        Action claimed, CancellationToken ct)
    {
        // The message's ETags are trusted on its first delivery. A redelivered message (its earlier try may have finished
        // some), or a playlist without a known ETag (an older message), is read first: one finished, or listed by no
        // page, is not fetched again.
        var pending = new List<PlaylistItem>(chunk.Count);
        foreach (var p in chunk)
        {
            if (p.ETag is not null && !redelivered) pending.Add(Item(work, p));
            else if (await items.GetPlaylistAsync(work.CrawlId, work.Category, p.Id, ct) is { IsFinished: false } item) pending.Add(item);
        }
        if (pending.Count == 0) return null;
        var claims = await items.ClaimFetchesAsync(work.CrawlId, pending.Select(i => i.PlaylistId).ToList(), time.GetUtcNow(), StaleClaim, ct);
        var results = new ConcurrentDictionary<long, Fetch>();
        var mine = pending.Where(i => claims[i.PlaylistId].Won).Select(i => i.PlaylistId).ToList();
        foreach (var item in pending)
        {
            var claim = claims[item.PlaylistId];
            if (claim.Fetched is { } known) results[item.PlaylistId] = new Fetch(known, false);
            else if (!claim.Won) results[item.PlaylistId] = new Fetch(null, false, Waiting: true);
        }
        async Task FetchInSlotAsync(long id)
        {
            try { results[id] = await FetchAsync(work, id, ct); }
            finally
            {
                _inFlight.Release();
                slots.Release();
            }
        }

        var saved = false;
        try
        {
            var fetches = new List<Task>(mine.Count);
            foreach (var id in mine)
            {
                await slots.WaitAsync(ct);
                try { await _inFlight.WaitAsync(ct); }
                catch
                {
                    slots.Release();
                    throw;
                }
                fetches.Add(FetchInSlotAsync(id));
            }
            claimed();
            await Task.WhenAll(fetches);
            return await FinishAsync(work, pending, results, tries, () => saved = true, ct);
        }
        finally
        {
            claimed();
            // Fetched ids keep their claim once their record is saved with the move; the others give it back, so the
            // next delivery fetches at once. A claim that cannot be given back goes stale, or is given back on resume.
            foreach (var id in mine)
                if (!saved || !results.TryGetValue(id, out var r) || r.Scraped is null || !r.Fetched)
                    await ReleaseClaimAsync(work, id);
        }
    }

    private async Task<Deferred?> FinishAsync(PlaylistWork work, List<PlaylistItem> pending, ConcurrentDictionary<long, Fetch> results, Tries tries,
        Action saved, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var finishes = new List<CrawlItemTable.Finish>();
        var retry = new List<PlaylistItem>();
        var waiting = new List<PlaylistItem>();
        var deferred = new List<PlaylistItem>();
        TimeSpan? delay = null;
        foreach (var item in pending)
        {
            var r = results[item.PlaylistId];
            var keep = r.Fetched ? r.Scraped : null;
            if (r.Defer is { } wait)
            {
                deferred.Add(item);
                delay = delay is { } d && d > wait ? d : wait;
            }
            else if (r.Waiting) waiting.Add(item);
            else if (r.Failure is { } failure)
            {
                if (tries.IsLast)
                {
                    log.LogWarning("Playlist {PlaylistId} failed after {Tries} tries: {Reason}", item.PlaylistId, tries.Number, failure);
                    finishes.Add(new(item, CrawlItemTable.Failed, null, failure, null));
                }
                else
                {
                    log.LogWarning("Playlist {PlaylistId}: {Reason}; trying again in {Delay:0} s (try {Try} of {Max})",
                        item.PlaylistId, failure, tries.RetryDelay.TotalSeconds, tries.Number, tries.Max);
                    retry.Add(item);
                }
            }
            else if (r.Scraped!.GoneReason is { } reason) finishes.Add(new(item, CrawlItemTable.Skipped, null, reason, keep));
            else finishes.Add(new(item, CrawlItemTable.Done, r.Scraped.Record! with { Category = work.Category }, null, keep));
        }

        // The moves, with what was fetched for the ids' other categories, in one transaction (or a few for long texts).
        var won = await items.FinishPlaylistsAsync(finishes, now, ct);
        saved();
        var done = finishes.Where(f => f.State == CrawlItemTable.Done && won.Contains(f.Item.PlaylistId)).ToList();
        await playlists.UpsertAllAsync(done.Select(f => f.Record!).ToList(), ct);
        foreach (var f in finishes.Where(f => won.Contains(f.Item.PlaylistId)))
        {
            var id = f.Item.PlaylistId;
            var signal = f.State switch
            {
                CrawlItemTable.Done => ProgressEvent.PlaylistDone(work.Category, id, f.Record!.Cover?.Bytes, now, results[id].Fetched),
                CrawlItemTable.Skipped => ProgressEvent.PlaylistSkipped(work.Category, id, f.Reason!, now),
                _ => ProgressEvent.PlaylistFailed(work.Category, id, f.Reason!, now),
            };
            await progress.SignalAsync(work.CrawlId, signal, ct);
        }

        var failed = finishes.Where(f => f.State == CrawlItemTable.Failed && won.Contains(f.Item.PlaylistId)).Select(f => Ref(f.Item)).ToList();
        if (failed.Count > 0) await queues.SendToPoisonAsync(work with { Playlists = failed, Retries = tries.Number, PlaylistId = null }, ct);
        if (retry.Count > 0) await queues.EnqueuePlaylistsAsync(work.CrawlId, work.Category, retry.Select(Ref), ct, tries.RetryDelay, tries.Number);
        if (waiting.Count > 0)
            await queues.EnqueuePlaylistsAsync(work.CrawlId, work.Category, waiting.Select(Ref), ct,
                WaitForFetch + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2000)), work.Retries);
        return deferred.Count > 0 ? new Deferred(deferred.Select(Ref).ToList(), delay!.Value) : null;
    }

    /// <summary>Marks the given playlists failed (those still pending); returns the ones it moved.</summary>
    private async Task<List<PlaylistRef>> FailAsync(PlaylistWork work, List<PlaylistRef> unfinished, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var moves = new List<CrawlItemTable.Finish>();
        foreach (var p in unfinished)
        {
            var item = p.ETag is not null ? Item(work, p) : await items.GetPlaylistAsync(work.CrawlId, work.Category, p.Id, ct);
            if (item is { IsFinished: false }) moves.Add(new(item, CrawlItemTable.Failed, null, reason, null));
        }
        var won = await items.FinishPlaylistsAsync(moves, now, ct);
        foreach (var id in won) await progress.SignalAsync(work.CrawlId, ProgressEvent.PlaylistFailed(work.Category, id, reason, now), ct);
        return won.Select(id => new PlaylistRef(id)).ToList();
    }

    private async Task ReleaseClaimAsync(PlaylistWork work, long id)
    {
        try { await items.ReleaseFetchAsync(work.CrawlId, id, CancellationToken.None); }
        catch (Exception e) { log.LogWarning("Playlist {PlaylistId}: could not give back its fetch claim: {Error}", id, e.Message); }
    }

    /// <summary>A claim this old belongs to a delivery that died mid-fetch: every try of a page and a cover has ended by then.</summary>
    private TimeSpan StaleClaim => TimeSpan.FromSeconds(options.Value.ReadTimeoutSeconds * 10 + 30);

    private bool ShouldProbe(PlaylistWork work) =>
        _coverLookups.GetValueOrDefault((work.CrawlId, work.Category)) is var (probes, found) && (found > 0 || probes < ProbesBeforeTrusting);

    private void CountProbe(PlaylistWork work, CoverResult cover) =>
        _coverLookups.AddOrUpdate((work.CrawlId, work.Category), _ => (1, Found(cover)), (_, c) => (c.Probes + 1, c.Found + Found(cover)));

    /// <summary>A lookup found the cover stored when it came back without a download.</summary>
    private static int Found(CoverResult cover) => cover.Cover is not null && !cover.Downloaded ? 1 : 0;

    /// <summary>Fetches one playlist and its cover; a failure is an outcome here, so it holds back no other playlist.</summary>
    private async Task<Fetch> FetchAsync(PlaylistWork work, long id, CancellationToken ct)
    {
        var what = $"playlist {id}";
        try
        {
            if (await politeness.DeferByAsync(work.CrawlId, ct) is { } wait) return new Fetch(null, false, wait);
            var result = await site.GetPlaylistAsync(id, ct);
            switch (result.Outcome)
            {
                case PageOutcome.Blocked:
                    return new Fetch(null, false, await politeness.OnBlockedAsync(work.CrawlId, what, result.Reason, result.RetryAfter, ct));
                case PageOutcome.Gone:
                    log.LogInformation("Playlist {PlaylistId} skipped: {Reason}", id, result.Reason);
                    return new Fetch(new ScrapedPlaylist(null, result.Reason ?? "gone"), true);
                case PageOutcome.Malformed:
                    return new Fetch(null, false, Failure: result.Reason ?? "malformed");
            }

            var probe = ShouldProbe(work);
            var cover = await covers.StoreAsync(result.Value!.Id, result.Value.CoverUrl, ct, probe);
            if (probe) CountProbe(work, cover);
            if (cover.Blocked is { } blocked)
                return new Fetch(null, false, await politeness.OnBlockedAsync(work.CrawlId, $"cover of {what}", blocked, cover.RetryAfter, ct));
            if (cover.Problem is not null)
                log.LogWarning("Playlist {PlaylistId} has no stored cover: {Problem}", id, cover.Problem);
            var (detail, cut) = TableText.Fit(result.Value);
            if (cut is not null)
                log.LogWarning("Playlist {PlaylistId}: text cut to fit Table storage ({Cut})", id, cut);
            return new Fetch(new ScrapedPlaylist(new PlaylistRecord
            {
                Category = work.Category,
                Detail = detail,
                Cover = cover.Cover,
                CrawlId = work.CrawlId,
                CrawledAt = time.GetUtcNow(),
                TextCut = cut,
            }, null), true);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The site could not be reached or did not answer in time after the client's retries, or storage failed:
            // this playlist is tried again later. Anything else is a bug and keeps its stack trace.
            var failure = ExpectedFailure.Of(e);
            if (failure.IsBug) log.LogError(e, "Playlist {PlaylistId}: unexpected failure", id);
            return new Fetch(null, false, Failure: failure.Reason);
        }
    }
}
