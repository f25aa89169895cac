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

    /// <summary>This fetch asked the site for the playlist's details (else the list answer had them).</summary>
    public bool Detailed { get; init; }
}

/// <summary>
/// Fetches one playlist's details and cover for a crawl's category, or only what a JSON list did not tell (its cover
/// when new or moved; its details when the list item lacked a field). A failure is an outcome here, so it holds back no
/// other playlist; a block pauses the crawl and comes back as the pause to wait.
/// </summary>
public sealed class FetchPlaylist(NetEaseClient site, FetchCover cover, Politeness politeness, TimeProvider time, ILogger<FetchPlaylist> log)
{
    public async Task<PlaylistFetch> RunAsync(PlaylistWork work, PlaylistItem item, CancellationToken ct)
    {
        var id = item.PlaylistId;
        var what = $"playlist {id}";
        var listed = item.Listed;
        try
        {
            if (await politeness.DeferByAsync(work.CrawlId, ct) is { } wait) return new PlaylistFetch(null, false, wait);
            PlaylistDetail detail;
            if (listed is { NeedsDetail: false }) detail = listed.Record.Detail; // the list answer carried every field
            else
            {
                var result = await site.GetPlaylistAsync(id, ct);
                switch (result.Outcome)
                {
                    case PageOutcome.Blocked:
                        return new PlaylistFetch(null, false, await politeness.OnBlockedAsync(work.CrawlId, what, result.Reason, result.RetryAfter, ct));
                    case PageOutcome.Gone:
                        log.LogInformation("Playlist {PlaylistId} skipped: {Reason}", id, result.Reason);
                        return new PlaylistFetch(new ScrapedPlaylist(null, result.Reason ?? "gone"), true) { Detailed = true };
                    case PageOutcome.Malformed:
                        return new PlaylistFetch(null, false, Failure: result.Reason ?? "malformed");
                }
                detail = result.Value!;
            }

            // The stored cover stands when the list said it is unchanged, unless the detail names another one after all.
            var coverKnown = listed is { NeedsCover: false }
                && (!listed.NeedsDetail || RefreshFromList.SameCover(listed.Record.Detail.CoverUrl, detail.CoverUrl));
            var stored = coverKnown ? new CoverResult(listed!.Record.Cover, null, false)
                : await cover.RunAsync(work, detail.Id, detail.CoverUrl, ct);
            if (stored.Blocked is { } blocked)
                return new PlaylistFetch(null, false, await politeness.OnBlockedAsync(work.CrawlId, $"cover of {what}", blocked, stored.RetryAfter, ct));
            if (stored.Problem is not null)
                log.LogWarning("Playlist {PlaylistId} has no stored cover: {Problem}", id, stored.Problem);
            var (fitted, fitCut) = TableText.Fit(detail);
            // A list item's text was fitted already (and its cut noted) when its draft was written.
            var cut = fitCut ?? (listed is { NeedsDetail: false } ? listed.Record.TextCut : null);
            if (fitCut is not null)
                log.LogWarning("Playlist {PlaylistId}: text cut to fit Table storage ({Cut})", id, fitCut);
            return new PlaylistFetch(new ScrapedPlaylist(new PlaylistRecord
            {
                Category = work.Category,
                Detail = fitted,
                Cover = stored.Cover,
                CrawlId = work.CrawlId,
                CrawledAt = time.GetUtcNow(),
                TextCut = cut,
            }, null), true) { Detailed = listed is not { NeedsDetail: false } };
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
