using FunctionsCrawler.Logging;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using FunctionsCrawler.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
/// Fetches one playlist's details, cover and track list for a crawl's category, or only what a JSON list did not tell
/// (its cover when new or moved; its details when the list item lacked a field; its tracks when new or changed). A
/// failure is an outcome here, so it holds back no other playlist; a block pauses the crawl and comes back as the pause
/// to wait.
/// </summary>
public sealed class FetchPlaylist(NetEaseClient site, FetchCover cover, FetchTracks trackList, Politeness politeness, IOptions<CrawlerOptions> options,
    TimeProvider time, ILogger<FetchPlaylist> log)
{
    public async Task<PlaylistFetch> RunAsync(PlaylistWork work, PlaylistItem item, CancellationToken ct)
    {
        var id = item.PlaylistId;
        var what = $"playlist {id}";
        var listed = item.Listed;
        try
        {
            if (await politeness.DeferByAsync(work.CrawlId, ct) is { } wait) return new PlaylistFetch(null, false, wait);
            // HTML list items say nothing of the tracks, so each is asked for; a JSON list item says when they changed.
            var needsTracks = options.Value.Tracks && (listed is null || listed.NeedsTracks);
            var needsDetail = listed is not { NeedsDetail: false };
            PlaylistDetail? detail = needsDetail ? null : listed!.Record.Detail; // the list answer carried every field
            PlaylistTracks? tracks = null;
            // The JSON detail gives the row and the track list in one answer; the HTML detail page gives no track ids.
            if (needsTracks)
            {
                var result = await site.GetPlaylistWithTracksAsync(id, ct);
                if (await OutcomeAsync(result, work, id, ct) is { } early) return early;
                tracks = result.Value!.Tracks;
                if (needsDetail && site.UseJsonDetails) detail = result.Value.Detail;
            }
            if (detail is null)
            {
                var result = await site.GetPlaylistAsync(id, ct);
                if (await OutcomeAsync(result, work, id, ct) is { } early) return early;
                detail = result.Value!;
            }

            var trackRef = listed?.Record.Tracks; // unchanged since the stored list, or tracks off
            if (tracks is not null)
            {
                var kept = await trackList.RunAsync(work.CrawlId, tracks, ct);
                if (kept.Defer is { } pause) return new PlaylistFetch(null, false, pause);
                if (kept.Failure is { } failure) return new PlaylistFetch(null, false, Failure: failure);
                trackRef = kept.Tracks;
            }
            if (!options.Value.Tracks) trackRef = null;
            // The stored cover stands when the list said it is unchanged, unless the detail names another one after all.
            var coverKnown = listed is { NeedsCover: false }
                && (!listed.NeedsDetail || RefreshFromList.SameCover(listed.Record.Detail.CoverUrl, detail.CoverUrl));
            var stored = coverKnown ? new CoverResult(listed!.Record.Cover, null, false)
                : await cover.RunAsync(work, detail.Id, detail.CoverUrl, ct);
            if (stored.Blocked is { } blocked)
                return new PlaylistFetch(null, false, await politeness.OnBlockedAsync(work.CrawlId, $"cover of {what}", blocked, stored.RetryAfter, ct, stored.Held));
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
                Tracks = trackRef,
            }, null), true) { Detailed = needsDetail || needsTracks };
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

    /// <summary>What a detail answer that is not Ok comes to: a pause, the playlist gone, or a failure to try again; null when Ok.</summary>
    private async Task<PlaylistFetch?> OutcomeAsync<T>(PageResult<T> result, PlaylistWork work, long id, CancellationToken ct)
    {
        switch (result.Outcome)
        {
            case PageOutcome.Blocked:
                return new PlaylistFetch(null, false, await politeness.OnBlockedAsync(work.CrawlId, $"playlist {id}", result.Reason, result.RetryAfter, ct, result.Held));
            case PageOutcome.Gone:
                log.LogInformation("Playlist {PlaylistId} skipped: {Reason}", id, result.Reason);
                return new PlaylistFetch(new ScrapedPlaylist(null, result.Reason ?? "gone"), true) { Detailed = true };
            case PageOutcome.Malformed:
                return new PlaylistFetch(null, false, Failure: result.Reason ?? "malformed");
            default:
                return null;
        }
    }
}
