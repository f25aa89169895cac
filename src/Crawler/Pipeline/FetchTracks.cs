using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>What keeping one playlist's track list came to: the reference its row keeps, or a pause to wait, or a failure to try again.</summary>
public sealed record TracksResult(TrackListRef? Tracks, TimeSpan? Defer = null, string? Failure = null);

/// <summary>
/// Keeps a playlist's track list once its JSON detail is read: judges it against the playlist's <c>trackCount</c>
/// (<see cref="TrackListCheck"/>: a one-song list of a long playlist is the site distrusting us, so the whole crawl pauses
/// and nothing is stored), fetches the songs not yet known in batches of <c>NetEase__SongBatchSize</c>, paced like every
/// request, stores them, then the list. Songs first: a list is stored only when all its songs are, so a crash in between
/// leaves the playlist pending and the next try finds the songs known.
/// </summary>
public sealed class FetchTracks(NetEaseClient site, TrackTable songs, PlaylistTracksTable lists, Politeness politeness, TimeProvider time,
    ILogger<FetchTracks> log)
{
    public async Task<TracksResult> RunAsync(string crawlId, PlaylistTracks tracks, CancellationToken ct)
    {
        var id = tracks.PlaylistId;
        var judgement = TrackListCheck.Judge(tracks.TrackCount, tracks.Tracks.Count);
        if (judgement.Verdict == TrackListVerdict.Suspect)
            return new TracksResult(null, await politeness.OnBlockedAsync(crawlId, $"tracks of playlist {id}", judgement.Reason, null, ct));
        foreach (var problem in tracks.Problems)
            log.LogWarning("Playlist {PlaylistId}'s track list: {Problem}", id, problem);
        var flag = judgement.Verdict == TrackListVerdict.Mismatch ? judgement.Reason : null;
        if (flag is not null) log.LogWarning("Playlist {PlaylistId}'s track list kept, flagged: {Reason}", id, flag);

        var unknown = await songs.UnknownAsync(tracks.Tracks.Select(t => t.TrackId), ct);
        foreach (var batch in unknown.Chunk(site.SongBatchSize))
        {
            if (await politeness.DeferByAsync(crawlId, ct) is { } wait) return new TracksResult(null, wait);
            var answer = await site.GetSongsAsync(batch, ct);
            switch (answer.Outcome)
            {
                case PageOutcome.Blocked:
                    return new TracksResult(null, await politeness.OnBlockedAsync(crawlId, $"songs of playlist {id}", answer.Reason, answer.RetryAfter, ct));
                case PageOutcome.Gone or PageOutcome.Malformed:
                    return new TracksResult(null, Failure: $"songs of its track list: {answer.Reason}");
            }
            var found = answer.Value!;
            foreach (var problem in found.Problems)
                log.LogWarning("Songs of playlist {PlaylistId}: {Problem}", id, problem);
            if (found.Unknown.Count > 0)
                log.LogInformation("Playlist {PlaylistId}: the site does not know {Count} of its songs (kept as unknown), e.g. {TrackId}", id, found.Unknown.Count, found.Unknown[0]);
            await songs.SaveAsync(found.Songs, found.Unknown, time.GetUtcNow(), ct);
        }
        return new TracksResult(await lists.SaveAsync(tracks, crawlId, flag, ct));
    }
}
