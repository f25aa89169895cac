using System.Threading.Channels;
using Azure;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Logging;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The playlist consumer: takes the playlists one list page showed first (one message), claims their fetches (each id
/// once per crawl, whatever the number of categories it appears in), fetches them in the process's fetch slots
/// (<see cref="FetchPlaylist"/>), and records them as they come (<see cref="RecordPlaylists"/>): the first alone, so the
/// first rows show within seconds, then whatever has come meanwhile. A playlist that fails is tried again later in a
/// message of its own, with its tries counted, so it never holds back the rest of its page.
/// </summary>
public sealed class ScrapePlaylist(CrawlItemTable items, FetchPlaylist fetch, RecordPlaylists record, FetchSlots slots, CrawlQueues queues,
    CancelledCrawls cancelled, FinishCrawl finish, IOptions<NetEaseOptions> options, TimeProvider time, ILogger<ScrapePlaylist> log)
{
    /// <summary>How long another delivery waits for the one fetching the same id before looking again.</summary>
    private static readonly TimeSpan WaitForFetch = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After this long one message hands what it has not started to a new message: a function invocation stays well
    /// inside the Functions host's time limit however slow the configured rate.
    /// </summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    public async Task RunAsync(PlaylistWork work, Delivery delivery, CancellationToken ct)
    {
        using var scope = log.BeginCrawlScope(work.CrawlId);
        if (await cancelled.IsCancelledAsync(work.CrawlId, ct)) return; // replaced by a newer crawl (--new)
        var tries = new Tries(work.Retries + (int)Math.Max(1, delivery.DequeueCount), delivery.MaxDequeueCount, delivery.RetryDelay);
        var pending = await PendingAsync(work, delivery.DequeueCount > 1, ct);
        var unrecorded = pending.ToDictionary(i => i.PlaylistId);
        var mine = new Dictionary<long, ETag>(); // the fetch claims this delivery holds
        var fetches = new List<Task>();
        try
        {
            // Claimed and recorded even when empty: a redelivery whose playlists were all recorded still judges the crawl below.
            var claims = await items.ClaimFetchesAsync(work.CrawlId, pending.Select(i => i.PlaylistId).ToList(), time.GetUtcNow(), StaleClaim, ct);
            var results = Channel.CreateUnbounded<(PlaylistItem Item, PlaylistFetch Fetch)>();
            var started = time.GetTimestamp();
            foreach (var item in pending)
            {
                var claim = claims[item.PlaylistId];
                if (claim.Won)
                {
                    var first = mine.Count == 0;
                    mine.Add(item.PlaylistId, claim.Held);
                    fetches.Add(FetchInSlotAsync(work, item, first, started, results.Writer, ct));
                }
                // Fetched for another category: its details came the way this row's would have (a JSON list item or a detail request).
                else results.Writer.TryWrite((item, claim.Fetched is { } known
                    ? new PlaylistFetch(known, false) { Detailed = item.Listed is not { NeedsDetail: false, NeedsTracks: false } }
                    : new PlaylistFetch(null, false) { Waiting = true }));
            }
            _ = Task.WhenAll(fetches).ContinueWith(_ => results.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

            var deferred = new List<PlaylistItem>();
            var deferBy = TimeSpan.Zero;
            var want = 1;
            while (await results.Reader.WaitToReadAsync(ct))
            {
                // Batches of 1, 2, 4, … up to about four seconds of requests at the rate: the first row shows at once, and
                // the transactions of the moves and the dataset rows are shared by a batch (while the fetches go on).
                var batch = new List<(PlaylistItem Item, PlaylistFetch Fetch)>();
                while (batch.Count < Math.Min(want, unrecorded.Count) && await results.Reader.WaitToReadAsync(ct))
                    while (results.Reader.TryRead(out var result)) batch.Add(result);
                want = Math.Min(want * 2, MaxBatch);
                var recorded = await record.RunAsync(work, batch, tries, ct);
                foreach (var (item, _) in batch) unrecorded.Remove(item.PlaylistId);
                var unsaved = new Dictionary<long, ETag>();
                foreach (var (item, _) in batch)
                    if (mine.Remove(item.PlaylistId, out var held) && !recorded.Saved.Contains(item.PlaylistId)) unsaved[item.PlaylistId] = held;
                await ReleaseAsync(work, unsaved);
                if (recorded.Failed.Count > 0) await queues.SendToPoisonAsync(work with { Playlists = Refs(recorded.Failed), Retries = tries.Number }, ct);
                if (recorded.Retry.Count > 0) await queues.EnqueuePlaylistsAsync(work.CrawlId, work.Category, Refs(recorded.Retry), ct, tries.RetryDelay, tries.Number);
                if (recorded.Waiting.Count > 0)
                    await queues.EnqueuePlaylistsAsync(work.CrawlId, work.Category, Refs(recorded.Waiting), ct,
                        WaitForFetch + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2000)), work.Retries);
                deferred.AddRange(recorded.Deferred);
                if (recorded.DeferBy is { } by && by > deferBy) deferBy = by;
            }
            // Paused (a block here or elsewhere) or out of time: what is left goes in one message, without using up a try.
            if (deferred.Count > 0) await queues.EnqueueAsync(work with { Playlists = Refs(deferred) }, ct, deferBy);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // No fetch is left running behind a failed message.
            await Task.WhenAll(fetches.Select(f => f.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)));
            if (!tries.IsLast) throw;
            // The message itself failed on its last try (storage, most likely): what it has not recorded ends failed.
            var failed = await record.FailAsync(work, unrecorded.Values, ExpectedFailure.Of(e).Reason, ct);
            if (failed.Count > 0) await queues.SendToPoisonAsync(work with { Playlists = Refs(failed), Retries = tries.Number }, ct);
            await finish.RunAsync(work.CrawlId, ct);
            throw;
        }
        finally
        {
            // Claims of playlists not recorded are given back, so the next delivery fetches at once. A claim that cannot be
            // given back goes stale, or is given back when the crawl is resumed.
            await ReleaseAsync(work, mine);
        }
        await finish.RunAsync(work.CrawlId, ct); // the crawl's last work may have been this message's
    }

    private async Task FetchInSlotAsync(PlaylistWork work, PlaylistItem item, bool first, long started, ChannelWriter<(PlaylistItem, PlaylistFetch)> results,
        CancellationToken ct)
    {
        var result = await slots.RunAsync(async () =>
            !first && time.GetElapsedTime(started) >= Budget ? new PlaylistFetch(null, false) { HandedOver = true }
            : await fetch.RunAsync(work, item, ct), ct);
        results.TryWrite((item, result));
    }

    /// <summary>
    /// The message's playlists still pending. Its ETags are trusted on its first delivery; a redelivered message (its
    /// earlier try may have finished some), a playlist without a known ETag (sent again by a resume), or one whose row
    /// holds what a JSON list told (the fields the fetch completes), is read first, whole: a resumed row's draft is
    /// found without the message saying so, and spares the detail request the list made unneeded.
    /// </summary>
    private async Task<List<PlaylistItem>> PendingAsync(PlaylistWork work, bool redelivered, CancellationToken ct)
    {
        var pending = new List<PlaylistItem>();
        foreach (var p in (work.Playlists ?? []).DistinctBy(p => p.Id)) // a message without its list names nothing to do
        {
            if (p.ETag is not null && !redelivered && !p.Listed)
                pending.Add(new(work.CrawlId, work.Category, p.Id, CrawlItemTable.Pending, new ETag(p.ETag)) { IsNew = p.New });
            else if (await items.GetPlaylistAsync(work.CrawlId, work.Category, p.Id, ct, listed: true) is { IsFinished: false } item) pending.Add(item);
        }
        return pending;
    }

    private static List<PlaylistRef> Refs(IEnumerable<PlaylistItem> items) =>
        items.Select(i => new PlaylistRef(i.PlaylistId, i.ETag.ToString() is { Length: > 0 } etag ? etag : null) { New = i.IsNew, Listed = i.Listed is not null }).ToList();

    /// <summary>Gives back claims even when the host stops (not cancellable): one transaction, not a request per playlist.</summary>
    private async Task ReleaseAsync(PlaylistWork work, Dictionary<long, ETag> claims)
    {
        if (claims.Count == 0) return;
        try { await items.ReleaseFetchesAsync(work.CrawlId, claims, CancellationToken.None); }
        catch (Exception e) { log.LogWarning("Could not give back the fetch claims of {Count} playlists: {Error}", claims.Count, ExpectedFailure.Of(e).Reason); }
    }

    /// <summary>The largest batch: about four seconds of requests (a detail page and a cover each) at the rate, at most a message.</summary>
    private int MaxBatch => (int)Math.Clamp(Math.Floor(options.Value.RequestsPerSecond * 2), 1, PlaylistWork.MaxPlaylists);

    /// <summary>A claim this old belongs to a delivery that died mid-fetch: every try of a page and a cover has ended by then.</summary>
    private TimeSpan StaleClaim => TimeSpan.FromSeconds(options.Value.ReadTimeoutSeconds * 10 + 30);
}
