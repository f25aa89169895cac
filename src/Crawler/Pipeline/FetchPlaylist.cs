using FunctionsCrawler.Logging;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>What one playlist's fetch came to: its details (or why it is gone), a pause to wait, or a failure to try again.</summary>
public sealed record PlaylistFetch(ScrapedPlaylist? Scraped, bool Fetched, TimeSpan? Defer = null, string? Failure = null)
{
    /// <summary>Another delivery holds the fetch of the id: look again shortly.</summary>
    public bool Waiting { get; init; }

    /// <summary>Not started within the message's time budget: a new message takes it.</summary>
    public bool HandedOver { get; init; }
}

/// <summary>
/// Fetches one playlist's details and cover for a crawl's category. A failure is an outcome here, so it holds back no
/// other playlist; a block pauses the crawl and comes back as the pause to wait.
/// </summary>
public sealed class FetchPlaylist(NetEaseClient site, FetchCover cover, Politeness politeness, TimeProvider time, ILogger<FetchPlaylist> log)
{
    public async Task<PlaylistFetch> RunAsync(PlaylistWork work, long id, CancellationToken ct)
    {
        var what = $"playlist {id}";
        try
        {
            if (await politeness.DeferByAsync(work.CrawlId, ct) is { } wait) return new PlaylistFetch(null, false, wait);
            var result = await site.GetPlaylistAsync(id, ct);
            switch (result.Outcome)
            {
                case PageOutcome.Blocked:
                    return new PlaylistFetch(null, false, await politeness.OnBlockedAsync(work.CrawlId, what, result.Reason, result.RetryAfter, ct));
                case PageOutcome.Gone:
                    log.LogInformation("Playlist {PlaylistId} skipped: {Reason}", id, result.Reason);
                    return new PlaylistFetch(new ScrapedPlaylist(null, result.Reason ?? "gone"), true);
                case PageOutcome.Malformed:
                    return new PlaylistFetch(null, false, Failure: result.Reason ?? "malformed");
            }

            var stored = await cover.RunAsync(work, result.Value!.Id, result.Value.CoverUrl, ct);
            if (stored.Blocked is { } blocked)
                return new PlaylistFetch(null, false, await politeness.OnBlockedAsync(work.CrawlId, $"cover of {what}", blocked, stored.RetryAfter, ct));
            if (stored.Problem is not null)
                log.LogWarning("Playlist {PlaylistId} has no stored cover: {Problem}", id, stored.Problem);
            var (detail, cut) = TableText.Fit(result.Value);
            if (cut is not null)
                log.LogWarning("Playlist {PlaylistId}: text cut to fit Table storage ({Cut})", id, cut);
            return new PlaylistFetch(new ScrapedPlaylist(new PlaylistRecord
            {
                Category = work.Category,
                Detail = detail,
                Cover = stored.Cover,
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
            return new PlaylistFetch(null, false, Failure: failure.Reason);
        }
    }
}
