using System.Collections.Concurrent;
using System.Globalization;
using FunctionsCrawler.Api;
using FunctionsCrawler.Export;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Data;

/// <summary>
/// The track routes over the dataset: <c>GET /api/playlists/{id}/tracks</c> (a playlist's list, a page at a time, from the
/// latest view), <c>GET /api/tracks</c> (the songs in the most playlists of a category) and the crawl's track exports
/// <c>/api/playlists/tracks.parquet|.csv</c> and <c>/api/tracks.parquet|.csv</c>. Lists are read from table
/// <c>PlaylistTracks</c>, songs from table <c>Tracks</c>; which lists, from the playlist rows that name them.
/// </summary>
public sealed class TrackBrowser(PlaylistTable playlists, CrawlItemTable items, CrawlTable crawls, TrackLists lists, TrackTable songs,
    PlaylistBrowser browser, TimeProvider time, ILogger<TrackBrowser>? log = null)
{
    /// <summary>How long a category's counts are reused: one answer may read 5,000 lists, a dashboard asks again within seconds.</summary>
    public static readonly TimeSpan RankingLifetime = TimeSpan.FromMinutes(1);

    /// <summary>The columns of a crawl's own rows that name their track list.</summary>
    private static readonly string[] TrackColumns = ["TracksKey", "TracksListed", "TracksUpdatedAt", "TracksFlag"];

    /// <summary>A ranking being read or read, when it was asked for, and the songs read for it so far (null: not stored).</summary>
    private sealed record CachedRanking(DateTimeOffset At, Lazy<Task<TrackRanking>> Ranking, ConcurrentDictionary<long, Song?> Songs);

    /// <summary>Keyed by the category ("" for all) and the newest crawl: a crawl started since is read afresh.</summary>
    private readonly ConcurrentDictionary<(string Category, string CrawlId), CachedRanking> _rankings = new();

    /// <summary>
    /// <c>GET /api/playlists/{id}/tracks[?category=&amp;skip=&amp;top=]</c>: the list the playlist's latest-view row names (of
    /// the category named, else of the row the latest crawl wrote among its categories), from <c>skip</c>, at most <c>top</c>
    /// (default 100, at most 1,000), each with its song. 404 for an id the dataset does not hold, 400 for a bad value.
    /// </summary>
    public Task<ApiResult> PlaylistTracksAsync(string playlistId, string? category, string? skip, string? top, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        if (!PlaylistBrowser.TryParseId(playlistId, out var id)) return ApiResult.Fail(StatusCodes.Status400BadRequest, ApiErrors.NotAPlaylistId(playlistId));
        var named = PlaylistQuery.ParseCategory(category);
        var from = ParseSkip(skip);
        var count = PlaylistQuery.ParseTop(top, PlaylistTracksView.DefaultTop, PlaylistTracksView.MaxTop);
        var categories = named is null ? await playlists.CategoriesOfAsync(id, await browser.DatasetCategoriesAsync(ct), ct) : [named];
        var rows = await Task.WhenAll(categories.Select(async c => await playlists.GetAsync(c, id, ct) is { } r ? r with { Category = c } : null));
        // In several categories, the rows may come from different crawls: the latest names the list as the site shows it now.
        var row = rows.OfType<PlaylistRecord>().OrderByDescending(r => r.CrawledAt).ThenBy(r => r.Category, StringComparer.Ordinal).FirstOrDefault();
        if (row is null) return PlaylistBrowser.NotInDataset(playlistId);
        var list = row.Tracks is { } tracks ? await lists.ReadAsync(new TrackListKey(id, tracks.Key), ct) : null;
        var page = PlaylistTracksView.PageOf(list, from, count);
        var found = page.Count == 0 ? new Dictionary<long, Song>() : await songs.GetAsync(page.Select(t => t.TrackId), ct);
        return ApiResult.Data(PlaylistTracksView.Of(row, list, found, from, count));
    }, log, ct);

    /// <summary>
    /// <c>GET /api/tracks[?category=&amp;top=&amp;q=]</c>: the songs in the most playlists of the category's latest view (of every
    /// category when none is named), counted over its first <see cref="TopTracks.MaxPlaylists"/> rows (<c>truncated</c> says
    /// when there are more), most first; <c>q</c> keeps those whose name, an artist or the album holds it. <c>top</c> 1–200
    /// (default 20). The counts are kept a minute per category and newest crawl.
    /// </summary>
    public Task<ApiResult> TopAsync(string? category, string? top, string? q, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        var named = PlaylistQuery.ParseCategory(category);
        var count = PlaylistQuery.ParseTop(top, TopTracksView.DefaultTop, TopTracksView.MaxTop);
        var search = PlaylistQuery.ParseSearch(q);
        var newest = (await crawls.LatestAsync(ct))?.CrawlId;
        var (key, cached) = Cached(named, newest);
        TrackRanking ranking;
        try
        {
            ranking = await cached.Ranking.Value.WaitAsync(ct);
        }
        catch when (cached.Ranking.Value.IsFaulted || cached.Ranking.Value.IsCanceled)
        {
            _rankings.TryRemove(KeyValuePair.Create(key, cached)); // the next answer reads again
            throw;
        }
        var (picked, searched) = await TopTracks.PickAsync(ranking.Ranked, search, count, ids => SongsAsync(cached.Songs, ids, ct));
        return ApiResult.Data(new TopTracksView(named, newest, ranking.Playlists, ranking.Counted, ranking.Truncated, search, search is null ? null : searched, picked));
    }, log, ct);

    private ((string, string) Key, CachedRanking Entry) Cached(string? category, string? crawlId)
    {
        var now = time.GetUtcNow();
        foreach (var (k, entry) in _rankings)
            if (now - entry.At >= RankingLifetime) _rankings.TryRemove(KeyValuePair.Create(k, entry));
        var key = (category ?? "", crawlId ?? "");
        // Read once for every answer that asks meanwhile, and not cancelled with the first one.
        return (key, _rankings.GetOrAdd(key, _ => new CachedRanking(now, new Lazy<Task<TrackRanking>>(() => RankAsync(category, CancellationToken.None)), new())));
    }

    private async Task<TrackRanking> RankAsync(string? category, CancellationToken ct)
    {
        var rows = new List<PlaylistRecord>();
        var truncated = false;
        foreach (var c in category is null ? await browser.DatasetCategoriesAsync(ct) : [category])
        {
            var left = TopTracks.MaxPlaylists - rows.Count;
            if (left <= 0)
            {
                truncated = true;
                break;
            }
            var read = await playlists.ReadCategoryAsync(c, left, ct);
            rows.AddRange(read.Rows);
            truncated |= read.Truncated;
        }
        return await TopTracks.RankAsync(lists.ReadAsync(TrackLists.KeysOf(rows), ct).Select(l => l.Tracks.Select(t => t.TrackId)), truncated, ct);
    }

    /// <summary>The stored songs of these ids, read once per ranking (an id the table does not hold is remembered as such).</summary>
    private async Task<IReadOnlyDictionary<long, Song>> SongsAsync(ConcurrentDictionary<long, Song?> known, IReadOnlyList<long> ids, CancellationToken ct)
    {
        var missing = ids.Where(id => !known.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            var found = await songs.GetAsync(missing, ct);
            foreach (var id in missing) known[id] = found.GetValueOrDefault(id);
        }
        var result = new Dictionary<long, Song>();
        foreach (var id in ids)
            if (known.TryGetValue(id, out var song) && song is not null) result[id] = song;
        return result;
    }

    /// <summary>
    /// <c>GET /api/playlists/tracks.parquet[?category=&amp;crawlId=]</c>: the lists of the latest crawl's own rows (or the named
    /// crawl's; one category with <c>category</c>) as <c>playlist_tracks.parquet</c>, the crawl chosen as
    /// <c>/api/playlists.parquet</c> chooses it, so the two files join on <c>playlist_id</c>.
    /// </summary>
    public Task<ApiResult> PlaylistTracksParquetAsync(string? category, string? crawlId, CancellationToken ct) => ExportAsync(category, crawlId, keys =>
        Attachments.ParquetAsync("playlist_tracks.parquet", file => PlaylistTracksParquet.WriteAsync(file, lists.ReadAsync(keys, ct), ct)), ct);

    /// <summary><c>GET /api/playlists/tracks.csv[?category=&amp;crawlId=]</c>: the same rows as <c>playlist_tracks.csv</c>, streamed.</summary>
    public Task<ApiResult> PlaylistTracksCsvAsync(string? category, string? crawlId, CancellationToken ct) => ExportAsync(category, crawlId, async keys =>
    {
        var rows = await Attachments.StartedAsync(lists.ReadAsync(keys, ct), ct);
        return Attachments.Csv("playlist_tracks.csv", (body, token) => PlaylistTracksCsv.WriteAsync(body, rows, token));
    }, ct);

    /// <summary>
    /// <c>GET /api/tracks.parquet[?category=&amp;crawlId=]</c>: every song those lists name, once, in id order, as
    /// <c>tracks.parquet</c> (the lists are read first, for their ids).
    /// </summary>
    public Task<ApiResult> TracksParquetAsync(string? category, string? crawlId, CancellationToken ct) => ExportAsync(category, crawlId, async keys =>
    {
        var ids = await lists.TrackIdsAsync(keys, ct);
        return await Attachments.ParquetAsync("tracks.parquet", file => TracksParquet.WriteAsync(file, lists.ReadSongsAsync(ids, ct), ct));
    }, ct);

    /// <summary><c>GET /api/tracks.csv[?category=&amp;crawlId=]</c>: the same songs as <c>tracks.csv</c>, streamed.</summary>
    public Task<ApiResult> TracksCsvAsync(string? category, string? crawlId, CancellationToken ct) => ExportAsync(category, crawlId, async keys =>
    {
        var ids = await lists.TrackIdsAsync(keys, ct);
        var rows = await Attachments.StartedAsync(lists.ReadSongsAsync(ids, ct), ct);
        return Attachments.Csv("tracks.csv", (body, token) => TracksCsv.WriteAsync(body, rows, token));
    }, ct);

    /// <summary>The crawl an export route names (the latest when none), the lists its rows of the categories name, then the answer.</summary>
    private Task<ApiResult> ExportAsync(string? category, string? crawlId, Func<IReadOnlyList<TrackListKey>, Task<ApiResult>> answer, CancellationToken ct) =>
        RouteGuard.RunAsync(async () =>
        {
            var named = PlaylistQuery.ParseCategory(category);
            var crawl = string.IsNullOrEmpty(crawlId) ? await crawls.LatestAsync(ct) : await crawls.GetAsync(crawlId, ct);
            if (crawl is null)
                return ApiResult.Fail(StatusCodes.Status404NotFound, string.IsNullOrEmpty(crawlId) ? ApiErrors.NoCrawlYet : ApiErrors.NoCrawl(PlaylistQuery.Shorten(crawlId)));
            var keys = new List<TrackListKey>();
            foreach (var c in named is null ? crawl.Categories : [named])
                await foreach (var r in items.ReadRowsAsync(crawl.CrawlId, c, TrackColumns, ct))
                    if (r.Tracks is { } tracks) keys.Add(new TrackListKey(r.Detail.Id, tracks.Key));
            return await answer(TrackLists.Ordered(keys));
        }, log, ct);

    /// <summary>A route's <c>skip</c>: 0 when absent; throws naming a bad one.</summary>
    public static int ParseSkip(string? skip)
    {
        if (string.IsNullOrEmpty(skip)) return 0;
        if (!int.TryParse(skip, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw new CrawlQueryException($"skip must be a whole number from 0, got '{PlaylistQuery.Shorten(skip)}'.");
        return n;
    }
}
