using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>What keeping one playlist's track list came to: the reference its row keeps, or a pause to wait, or a failure to try again.</summary>
public sealed record TracksResult(TrackListRef? Tracks, TimeSpan? Defer = null, string? Failure = null);

/// <summary>
/// Keeps a playlist's track list once its JSON detail is read: judges it against the playlist's <c>trackCount</c>
/// (<see cref="TrackListCheck"/>: a one-song list of a long playlist is the site distrusting us, so the whole crawl pauses
/// and nothing is stored), has the songs not yet known fetched (<see cref="SongBatcher"/>: shared batches of
/// <c>NetEase__SongBatchSize</c>, paced like every request; its fetch slot is given back meanwhile), then stores the list. Songs first: a list is stored only when all its songs are, so a crash in between
/// leaves the playlist pending and the next try finds the songs known.
/// </summary>
public sealed class FetchTracks(TrackTable songs, SongBatcher batcher, FetchSlots slots, PlaylistTracksTable lists, Politeness politeness,
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
        if (unknown.Count > 0)
        {
            var asked = await slots.OutsideAsync(() => batcher.FetchAsync(crawlId, unknown, ct), ct);
            if (asked.Defer is { } pause) return new TracksResult(null, pause);
            if (asked.Failure is { } failure) return new TracksResult(null, Failure: failure);
        }
        return new TracksResult(await lists.SaveAsync(tracks, crawlId, flag, ct));
    }
}
