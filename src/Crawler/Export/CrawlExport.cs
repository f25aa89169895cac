using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Export;

/// <summary>
/// What an export wrote; <see cref="MissingCovers"/>: rows whose cover was stored but is no longer in Blob storage;
/// <see cref="HistoryRows"/>: the rows of <see cref="HistoryFiles"/>; <see cref="PlaylistTrackRows"/> and
/// <see cref="TrackRows"/>: the rows of <see cref="PlaylistTrackFiles"/> and of <see cref="TrackFiles"/>.
/// </summary>
public sealed record ExportSummary(string Directory, int Rows, int Covers, long CoverBytes, int MissingCovers = 0, int HistoryRows = 0,
    long PlaylistTrackRows = 0, int TrackRows = 0)
{
    /// <summary>Songs the lists name that the site did not know when asked: in <c>playlist_tracks</c>, not in <c>tracks</c>.</summary>
    public int UnknownTracks { get; init; }

    public static readonly IReadOnlyList<string> HistoryFiles = ["playlist_history.csv", "playlist_history.parquet"];
    public static readonly IReadOnlyList<string> PlaylistTrackFiles = ["playlist_tracks.csv", "playlist_tracks.parquet"];
    public static readonly IReadOnlyList<string> TrackFiles = ["tracks.csv", "tracks.parquet"];
}

/// <summary>
/// Writes a crawl's own rows (its snapshot, whatever other crawls did since) to a folder: <c>playlists.csv</c>,
/// <c>playlists.jsonl</c>, <c>playlists.parquet</c> and <c>covers/&lt;playlist_id&gt;.jpg</c>; beside them the history of the
/// crawl's categories (every crawl's counters, <c>Crawler__HistoryDays</c> of them): <c>playlist_history.csv</c> and
/// <c>playlist_history.parquet</c>; and the tracks of the rows that name a track list: <c>playlist_tracks.csv</c> and
/// <c>.parquet</c> (each list in order) and <c>tracks.csv</c> and <c>.parquet</c> (each song they list, once).
/// </summary>
public sealed class CrawlExport(CrawlItemTable items, CoverStore covers, PlaylistHistoryTable history, TrackLists tracks)
{
    private const int CoverDownloads = 16;

    public async Task<ExportSummary> WriteAsync(CrawlInfo crawl, string directory, CancellationToken ct)
    {
        var records = new List<PlaylistRecord>();
        await foreach (var r in items.ReadRowsAsync(crawl.CrawlId, crawl.Categories, ct)) records.Add(r);

        Directory.CreateDirectory(directory);
        var coverDir = Path.Combine(directory, "covers");
        Directory.CreateDirectory(coverDir);
        // Write to temporary names first, so a reader never sees half a file. The tables and the covers are written side
        // by side, the covers several at a time: the export is otherwise one storage round trip per cover after another.
        var tables = Task.WhenAll(
            WriteFileAsync(Path.Combine(directory, "playlists.csv"), s => PlaylistCsv.WriteAsync(s, records.ToAsyncEnumerable(), ct)),
            WriteFileAsync(Path.Combine(directory, "playlists.jsonl"), s => PlaylistJsonl.WriteAsync(s, records.ToAsyncEnumerable(), ct)),
            WriteFileAsync(Path.Combine(directory, "playlists.parquet"), s => PlaylistParquet.WriteAsync(s, records.ToAsyncEnumerable(), ct)));
        // The history is read once per file (a year of a category does not fit in memory as comfortably as a crawl does).
        var historyRows = 0;
        var historyFiles = Task.WhenAll(
            WriteFileAsync(Path.Combine(directory, "playlist_history.csv"), s => PlaylistHistoryCsv.WriteAsync(s, Counted(history.ReadCategoriesAsync(crawl.Categories, ct)), ct)),
            WriteFileAsync(Path.Combine(directory, "playlist_history.parquet"), s => PlaylistHistoryParquet.WriteAsync(s, history.ReadCategoriesAsync(crawl.Categories, ct), ct)));
        var trackFiles = WriteTracksAsync(records, directory, ct);

        int coverCount = 0, missing = 0;
        long coverBytes = 0;
        var ids = records.Where(r => r.Cover is not null).Select(r => r.Detail.Id).Distinct();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = CoverDownloads, CancellationToken = ct }, async (id, token) =>
        {
            var blob = covers.ContainerClient.GetBlobClient(CoverStore.BlobName(id));
            var path = Path.Combine(coverDir, CoverStore.BlobName(id));
            try
            {
                await WriteFileAsync(path, s => blob.DownloadToAsync(s, token));
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                // Named by its row but gone from storage: the rest of the export stands, and the summary says how many.
                File.Delete(path + ".partial");
                Interlocked.Increment(ref missing);
                return;
            }
            Interlocked.Increment(ref coverCount);
            Interlocked.Add(ref coverBytes, new FileInfo(path).Length);
        });
        await tables;
        await historyFiles;
        var (memberships, songs, unknown) = await trackFiles;
        return new ExportSummary(Path.GetFullPath(directory), records.Count, coverCount, coverBytes, missing, historyRows, memberships, songs)
        {
            UnknownTracks = unknown,
        };

        async IAsyncEnumerable<HistoryRow> Counted(IAsyncEnumerable<HistoryRow> rows)
        {
            await foreach (var row in rows)
            {
                historyRows++;
                yield return row;
            }
        }
    }

    /// <summary>
    /// The two track tables, each read once for both of its files: the lists (a few read at a time, in playlist id order),
    /// then the songs they name. Only the ids are kept between the two (a set of longs: some tens of MB for the million or
    /// two songs of a whole-site crawl).
    /// </summary>
    private async Task<(long Memberships, int Songs, int Unknown)> WriteTracksAsync(IReadOnlyList<PlaylistRecord> records, string directory, CancellationToken ct)
    {
        var ids = new HashSet<long>();
        long memberships = 0;
        await Fanout.WriteAsync(Collected(tracks.ReadAsync(TrackLists.KeysOf(records), ct)),
        [
            (lists, token) => WriteFileAsync(Path.Combine(directory, "playlist_tracks.csv"), s => PlaylistTracksCsv.WriteAsync(s, lists, token)),
            (lists, token) => WriteFileAsync(Path.Combine(directory, "playlist_tracks.parquet"), s => PlaylistTracksParquet.WriteAsync(s, lists, token)),
        ], ct);
        var ascending = ids.ToArray();
        Array.Sort(ascending);
        var songs = 0;
        await Fanout.WriteAsync(Counted(tracks.ReadSongsAsync(ascending, ct)),
        [
            (rows, token) => WriteFileAsync(Path.Combine(directory, "tracks.csv"), s => TracksCsv.WriteAsync(s, rows, token)),
            (rows, token) => WriteFileAsync(Path.Combine(directory, "tracks.parquet"), s => TracksParquet.WriteAsync(s, rows, token)),
        ], ct);
        return (memberships, songs, ascending.Length - songs);

        async IAsyncEnumerable<PlaylistTrackList> Collected(IAsyncEnumerable<PlaylistTrackList> lists)
        {
            await foreach (var list in lists)
            {
                memberships += list.Tracks.Count;
                foreach (var t in list.Tracks) ids.Add(t.TrackId);
                yield return list;
            }
        }

        async IAsyncEnumerable<Song> Counted(IAsyncEnumerable<Song> rows)
        {
            await foreach (var song in rows)
            {
                songs++;
                yield return song;
            }
        }
    }

    public Task WriteParquetAsync(CrawlInfo crawl, IEnumerable<string> categories, Stream output, CancellationToken ct) =>
        PlaylistParquet.WriteAsync(output, items.ReadRowsAsync(crawl.CrawlId, categories, ct), ct);

    public Task WriteCsvAsync(CrawlInfo crawl, IEnumerable<string> categories, Stream output, CancellationToken ct) =>
        PlaylistCsv.WriteAsync(output, items.ReadRowsAsync(crawl.CrawlId, categories, ct), ct);

    private static async Task WriteFileAsync(string path, Func<Stream, Task> write)
    {
        var temp = path + ".partial";
        await using (var file = File.Create(temp)) await write(file);
        File.Move(temp, path, overwrite: true);
    }
}
