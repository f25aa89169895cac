using FunctionsCrawler.NetEase;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The playlist consumer: fetches one playlist's details and cover (once per crawl, whatever the
/// number of categories it appears in), records it under its category, and reports it done or skipped.
/// </summary>
public sealed class ScrapePlaylist(NetEaseClient site, PlaylistTable playlists, CoverStore covers, CrawlQueues queues,
    ICrawlProgressSink progress, Politeness politeness, TimeProvider time, ILogger<ScrapePlaylist> log)
{
    public async Task RunAsync(PlaylistWork work, Delivery delivery, CancellationToken ct)
    {
        try
        {
            var scraped = await playlists.GetScrapedAsync(work.CrawlId, work.PlaylistId, ct);
            if (scraped is null)
            {
                if (await politeness.DeferByAsync(work.CrawlId, ct) is { } wait)
                {
                    await queues.EnqueueAsync(work, ct, wait);
                    return;
                }
                scraped = await FetchAsync(work, ct);
                if (scraped is null) return; // deferred
            }

            if (scraped.GoneReason is { } reason)
            {
                await progress.SignalAsync(work.CrawlId, ProgressEvent.PlaylistSkipped(work.Category, work.PlaylistId, reason, time.GetUtcNow()), ct);
                return;
            }
            var record = scraped.Record! with { Category = work.Category };
            await playlists.UpsertAsync(record, ct);
            await progress.SignalAsync(work.CrawlId,
                ProgressEvent.PlaylistDone(work.Category, work.PlaylistId, record.Cover?.Bytes, time.GetUtcNow()), ct);
        }
        catch (SiteFetchException e) when (!ct.IsCancellationRequested)
        {
            // The site could not be reached or did not answer in time, after the client's retries: the queue tries again.
            await FailIfLastTryAsync(work, delivery, e.Message, ct);
            throw new CrawlStepException($"playlist {work.PlaylistId}: {e.Message}", e);
        }
        catch (Exception e) when (delivery.IsLastTry && !ct.IsCancellationRequested)
        {
            await FailIfLastTryAsync(work, delivery, e.Message, ct);
            throw;
        }
    }

    private async Task FailIfLastTryAsync(PlaylistWork work, Delivery delivery, string reason, CancellationToken ct)
    {
        if (delivery.IsLastTry)
            await progress.SignalAsync(work.CrawlId, ProgressEvent.PlaylistFailed(work.Category, work.PlaylistId, reason, time.GetUtcNow()), ct);
    }

    /// <summary>Fetches and keeps what this crawl learns about the playlist; null when the message was deferred.</summary>
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
                await playlists.SaveGoneAsync(work.CrawlId, work.PlaylistId, result.Reason ?? "gone", ct);
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
        var record = new PlaylistRecord
        {
            Category = work.Category,
            Detail = detail,
            Cover = cover.Cover,
            CrawlId = work.CrawlId,
            CrawledAt = time.GetUtcNow(),
            TextCut = cut,
        };
        await playlists.SaveScrapedAsync(work.CrawlId, record, ct);
        return new ScrapedPlaylist(record, null);
    }
}
