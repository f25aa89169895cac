using FunctionsCrawler.Configuration;
using FunctionsCrawler.Logging;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The playlist consumer: fetches one playlist's details and cover (once per crawl, whatever the number of
/// categories it appears in), records it under its category, and reports it done or skipped.
/// </summary>
public sealed class ScrapePlaylist(NetEaseClient site, CrawlItemTable items, PlaylistTable playlists, CoverStore covers, CrawlQueues queues,
    ICrawlProgressSink progress, Politeness politeness, CancelledCrawls cancelled, IOptions<NetEaseOptions> options, TimeProvider time, ILogger<ScrapePlaylist> log)
{
    /// <summary>How long another delivery waits for the one fetching the same id before looking again.</summary>
    private static readonly TimeSpan WaitForFetch = TimeSpan.FromSeconds(5);

    public async Task RunAsync(PlaylistWork work, Delivery delivery, CancellationToken ct)
    {
        using var scope = log.BeginCrawlScope(work.CrawlId);
        PlaylistItem? item = null;
        try
        {
            if (await cancelled.IsCancelledAsync(work.CrawlId, ct)) return; // replaced by a newer crawl (--new)
            item = await items.GetPlaylistAsync(work.CrawlId, work.Category, work.PlaylistId, ct);
            // Not listed by a page of this crawl (a stray message), or finished already (a late redelivery): nothing to do.
            if (item is null || item.IsFinished) return;

            var (scraped, fetched) = await ScrapedAsync(work, ct);
            if (scraped is null) return; // deferred
            var now = time.GetUtcNow();
            if (scraped.GoneReason is { } reason)
            {
                if (await items.FinishPlaylistAsync(item, CrawlItemTable.Skipped, null, reason, now, ct))
                    await progress.SignalAsync(work.CrawlId, ProgressEvent.PlaylistSkipped(work.Category, work.PlaylistId, reason, now), ct);
                return;
            }
            var record = scraped.Record! with { Category = work.Category };
            if (!await items.FinishPlaylistAsync(item, CrawlItemTable.Done, record, null, now, ct)) return;
            await playlists.UpsertAsync(record, ct);
            await progress.SignalAsync(work.CrawlId, ProgressEvent.PlaylistDone(work.Category, work.PlaylistId, record.Cover?.Bytes, now, fetched), ct);
        }
        catch (SiteFetchException e) when (!ct.IsCancellationRequested)
        {
            // The site could not be reached or did not answer in time, after the client's retries: the queue tries again.
            await FailIfLastTryAsync(item, delivery, e.Message, ct);
            throw new CrawlStepException($"playlist {work.PlaylistId}: {e.Message}", e);
        }
        catch (Exception e) when (delivery.IsLastTry && !ct.IsCancellationRequested)
        {
            await FailIfLastTryAsync(item, delivery, e.Message, ct);
            throw;
        }
    }

    private async Task FailIfLastTryAsync(PlaylistItem? item, Delivery delivery, string reason, CancellationToken ct)
    {
        if (!delivery.IsLastTry || item is null) return;
        var now = time.GetUtcNow();
        if (await items.FinishPlaylistAsync(item, CrawlItemTable.Failed, null, reason, now, ct))
            await progress.SignalAsync(item.CrawlId, ProgressEvent.PlaylistFailed(item.Category, item.PlaylistId, reason, now), ct);
    }

    /// <summary>
    /// What this crawl knows of the id: fetched now by this delivery (Fetched = true), or earlier by another;
    /// null when the message was deferred (a pause, a block, or another delivery fetching the same id right now).
    /// </summary>
    private async Task<(ScrapedPlaylist? Scraped, bool Fetched)> ScrapedAsync(PlaylistWork work, CancellationToken ct)
    {
        var claim = await items.ClaimFetchAsync(work.CrawlId, work.PlaylistId, time.GetUtcNow(), StaleClaim, ct);
        if (claim.Fetched is { } known) return (known, false);
        if (!claim.Won)
        {
            await queues.EnqueueAsync(work, ct, WaitForFetch + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2000)));
            return (null, false);
        }
        ScrapedPlaylist? scraped = null;
        try
        {
            if (await politeness.DeferByAsync(work.CrawlId, ct) is { } wait)
            {
                await queues.EnqueueAsync(work, ct, wait);
                return (null, false);
            }
            scraped = await FetchAsync(work, ct);
            if (scraped is not null) await items.SaveFetchAsync(work.CrawlId, work.PlaylistId, scraped, time.GetUtcNow(), ct);
            return (scraped, scraped is not null);
        }
        finally
        {
            // Deferred or failed: give the claim back so the next delivery fetches at once (a claim left behind
            // goes stale, or is given back when the crawl is resumed).
            if (scraped is null)
            {
                try { await items.ReleaseFetchAsync(work.CrawlId, work.PlaylistId, CancellationToken.None); }
                catch (Exception e) { log.LogWarning("Playlist {PlaylistId}: could not give back its fetch claim: {Error}", work.PlaylistId, e.Message); }
            }
        }
    }

    /// <summary>A claim this old belongs to a delivery that died mid-fetch: every try of a page and a cover has ended by then.</summary>
    private TimeSpan StaleClaim => TimeSpan.FromSeconds(options.Value.ReadTimeoutSeconds * 10 + 30);

    /// <summary>Fetches the playlist and its cover; null when the message was deferred.</summary>
    private async Task<ScrapedPlaylist?> FetchAsync(PlaylistWork work, CancellationToken ct)
    {
        var what = $"playlist {work.PlaylistId}";
        var result = await site.GetPlaylistAsync(work.PlaylistId, ct);
        switch (result.Outcome)
        {
            case PageOutcome.Blocked:
                await queues.EnqueueAsync(work, ct, await politeness.OnBlockedAsync(work.CrawlId, what, result.Reason, result.RetryAfter, ct));
                return null;
            case PageOutcome.Gone:
                log.LogInformation("Playlist {PlaylistId} skipped: {Reason}", work.PlaylistId, result.Reason);
                return new ScrapedPlaylist(null, result.Reason ?? "gone");
            case PageOutcome.Malformed:
                throw new CrawlStepException($"{what}: {result.Reason}");
        }

        var cover = await covers.StoreAsync(result.Value!.Id, result.Value.CoverUrl, ct);
        if (cover.Blocked is { } blocked)
        {
            await queues.EnqueueAsync(work, ct, await politeness.OnBlockedAsync(work.CrawlId, $"cover of {what}", blocked, cover.RetryAfter, ct));
            return null;
        }
        if (cover.Problem is not null)
            log.LogWarning("Playlist {PlaylistId} has no stored cover: {Problem}", work.PlaylistId, cover.Problem);
        var (detail, cut) = TableText.Fit(result.Value);
        if (cut is not null)
            log.LogWarning("Playlist {PlaylistId}: text cut to fit Table storage ({Cut})", work.PlaylistId, cut);
        return new ScrapedPlaylist(new PlaylistRecord
        {
            Category = work.Category,
            Detail = detail,
            Cover = cover.Cover,
            CrawlId = work.CrawlId,
            CrawledAt = time.GetUtcNow(),
            TextCut = cut,
        }, null);
    }
}
