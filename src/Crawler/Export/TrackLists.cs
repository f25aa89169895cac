using System.Runtime.CompilerServices;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Export;

/// <summary>One playlist's track list as its row names it: the playlist and the version (<see cref="TrackListRef.Key"/>).</summary>
public sealed record TrackListKey(long PlaylistId, string Key);

/// <summary>One playlist's stored track list, in its order.</summary>
public sealed record PlaylistTrackList(long PlaylistId, IReadOnlyList<PlaylistTrack> Tracks);

/// <summary>
/// Reads what the track exports and routes need: the track lists the playlist rows name (table <c>PlaylistTracks</c>), a
/// few at a time but handed out in the rows' order, and the songs they list (table <c>Tracks</c>) in id order. Nothing is
/// held but the lists in flight: a whole-site crawl is ~70,000 lists of ~100 tracks.
/// </summary>
public sealed class TrackLists(PlaylistTracksTable lists, TrackTable songs)
{
    /// <summary>List reads in flight at once (each is one point read).</summary>
    public const int ParallelReads = 16;

    /// <summary>
    /// Up to this many songs are read a point read each; more are read by scanning table <c>Tracks</c> (a request per
    /// 1,000 rows), which costs less once the crawl names a good part of every song stored.
    /// </summary>
    public const int MaxPointReads = 10_000;

    private const int SongsPerRead = 1_000;

    /// <summary>The lists these rows name.</summary>
    public static IReadOnlyList<TrackListKey> KeysOf(IEnumerable<PlaylistRecord> rows) =>
        Ordered(rows.Where(r => r.Tracks is not null).Select(r => new TrackListKey(r.Detail.Id, r.Tracks!.Key)));

    /// <summary>Each playlist once (the first key naming it: a playlist in two categories of a crawl was fetched once), in id order.</summary>
    public static IReadOnlyList<TrackListKey> Ordered(IEnumerable<TrackListKey> keys) => [.. keys.DistinctBy(k => k.PlaylistId).OrderBy(k => k.PlaylistId)];

    /// <summary>One list; null when it is not stored.</summary>
    public Task<IReadOnlyList<PlaylistTrack>?> ReadAsync(TrackListKey key, CancellationToken ct) => lists.ReadAsync(key.PlaylistId, key.Key, ct);

    /// <summary>Every song id the lists name, ascending, each once (the ids alone are held: a few bytes a song).</summary>
    public async Task<IReadOnlyList<long>> TrackIdsAsync(IEnumerable<TrackListKey> keys, CancellationToken ct)
    {
        var ids = new HashSet<long>();
        await foreach (var list in ReadAsync(keys, ct))
            foreach (var track in list.Tracks) ids.Add(track.TrackId);
        var ascending = ids.ToArray();
        Array.Sort(ascending);
        return ascending;
    }

    /// <summary>
    /// The lists these keys name, in the keys' order, <see cref="ParallelReads"/> read at a time; a list that is no longer
    /// stored (or never was) is left out.
    /// </summary>
    public async IAsyncEnumerable<PlaylistTrackList> ReadAsync(IEnumerable<TrackListKey> keys, [EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var inFlight = new Queue<Task<PlaylistTrackList?>>();
        using var next = keys.GetEnumerator();
        try
        {
            while (true)
            {
                while (inFlight.Count < ParallelReads && next.MoveNext()) inFlight.Enqueue(ReadOneAsync(next.Current, stop.Token));
                if (inFlight.Count == 0) yield break;
                if (await inFlight.Dequeue() is { } list) yield return list;
            }
        }
        finally
        {
            // A reader that stopped early (or a read that failed) leaves no read running behind it.
            await stop.CancelAsync();
            foreach (var read in inFlight)
            {
                try { await read; }
                catch (Exception) when (stop.IsCancellationRequested) { } // its outcome no longer matters
            }
        }
    }

    private async Task<PlaylistTrackList?> ReadOneAsync(TrackListKey key, CancellationToken ct) =>
        await lists.ReadAsync(key.PlaylistId, key.Key, ct) is { } tracks ? new PlaylistTrackList(key.PlaylistId, tracks) : null;

    /// <summary>The stored songs of these ids (ascending, each once), in that order; ids the site did not know are left out.</summary>
    public async IAsyncEnumerable<Song> ReadSongsAsync(IReadOnlyList<long> ascendingIds, [EnumeratorCancellation] CancellationToken ct)
    {
        if (ascendingIds.Count > MaxPointReads)
        {
            // Both sides ascend: walk them together.
            var i = 0;
            await foreach (var song in songs.ReadAllAsync(ct))
            {
                while (i < ascendingIds.Count && ascendingIds[i] < song.Id) i++;
                if (i == ascendingIds.Count) yield break;
                if (ascendingIds[i] == song.Id) yield return song;
            }
            yield break;
        }
        foreach (var chunk in ascendingIds.Chunk(SongsPerRead))
        {
            var found = await songs.GetAsync(chunk, ct);
            foreach (var id in chunk)
                if (found.TryGetValue(id, out var song)) yield return song;
        }
    }
}
