using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>This try's number for the playlists of a message, and whether no try follows it.</summary>
public readonly record struct Tries(int Number, int Max, TimeSpan RetryDelay)
{
    public bool IsLast => Number >= Max;
}

/// <summary>What recording a batch left to route: playlists to try again, to look at again shortly, to send after a pause, and those failed for good.</summary>
public sealed record Recorded(List<PlaylistItem> Retry, List<PlaylistItem> Waiting, List<PlaylistItem> Deferred, TimeSpan? DeferBy, List<PlaylistItem> Failed,
    IReadOnlySet<long> Saved);

/// <summary>
/// Records a batch of fetched playlists of one category: each finished one moves to done, skipped or failed in the item
/// table (with what was fetched for the ids' other categories, in one transaction or a few for long texts), the done
/// ones go to the dataset's latest view in one more, and only the moves this delivery won are signalled.
/// </summary>
public sealed class RecordPlaylists(CrawlItemTable items, PlaylistTable playlists, ICrawlProgressSink progress, TimeProvider time,
    ILogger<RecordPlaylists> log)
{
    public async Task<Recorded> RunAsync(PlaylistWork work, IReadOnlyList<(PlaylistItem Item, PlaylistFetch Fetch)> batch, Tries tries, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var finishes = new List<CrawlItemTable.Finish>();
        var recorded = new Recorded([], [], [], null, [], new HashSet<long>());
        var deferBy = TimeSpan.Zero;
        foreach (var (item, r) in batch)
        {
            var keep = r.Fetched ? r.Scraped : null;
            if (r.Defer is { } || r.HandedOver)
            {
                // Handed over at the time budget: a new message takes it at once (or after the pause, with the others).
                recorded.Deferred.Add(item);
                if (r.Defer is { } wait && wait > deferBy) deferBy = wait;
            }
            else if (r.Waiting) recorded.Waiting.Add(item);
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
                    recorded.Retry.Add(item);
                }
            }
            else if (r.Scraped!.GoneReason is { } reason) finishes.Add(new(item, CrawlItemTable.Skipped, null, reason, keep));
            else finishes.Add(new(item, CrawlItemTable.Done, r.Scraped.Record! with { Category = work.Category }, null, keep) { Detailed = r.Detailed });
        }

        var won = await items.FinishPlaylistsAsync(finishes, now, ct);
        var done = finishes.Where(f => f.State == CrawlItemTable.Done && won.Contains(f.Item.PlaylistId)).ToList();
        await playlists.UpsertAllAsync(done.Select(f => f.Record!).ToList(), ct);
        var fetched = batch.ToDictionary(b => b.Item.PlaylistId, b => b.Fetch.Fetched);
        foreach (var f in finishes.Where(f => won.Contains(f.Item.PlaylistId)))
        {
            var id = f.Item.PlaylistId;
            var signal = f.State switch
            {
                CrawlItemTable.Done => ProgressEvent.PlaylistDone(work.Category, id, f.Record!.Cover?.Bytes, now, fetched[id], f.Detailed, f.Item.IsNew),
                CrawlItemTable.Skipped => ProgressEvent.PlaylistSkipped(work.Category, id, f.Reason!, now),
                _ => ProgressEvent.PlaylistFailed(work.Category, id, f.Reason!, now),
            };
            await progress.SignalAsync(work.CrawlId, signal, ct);
            if (f.State == CrawlItemTable.Failed) recorded.Failed.Add(f.Item);
        }
        // The fetched ones keep their claim, saved with the move (whoever won it); the item table has their record now.
        var saved = finishes.Where(f => f.Fetched is not null).Select(f => f.Item.PlaylistId).ToHashSet();
        return recorded with { DeferBy = recorded.Deferred.Count > 0 ? deferBy : null, Saved = saved };
    }

    /// <summary>Marks the given playlists failed (those still pending): the message failed on its last try. Returns the ones it moved.</summary>
    public async Task<List<PlaylistItem>> FailAsync(PlaylistWork work, IEnumerable<PlaylistItem> unfinished, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var moves = unfinished.Select(item => new CrawlItemTable.Finish(item, CrawlItemTable.Failed, null, reason, null)).ToList();
        var won = await items.FinishPlaylistsAsync(moves, now, ct);
        foreach (var id in won) await progress.SignalAsync(work.CrawlId, ProgressEvent.PlaylistFailed(work.Category, id, reason, now), ct);
        return moves.Where(m => won.Contains(m.Item.PlaylistId)).Select(m => m.Item).ToList();
    }
}
