using FunctionsCrawler.Api;
using System.Globalization;
using FunctionsCrawler.Export;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Data;

/// <summary>One crawl's figures for a playlist of a category.</summary>
public sealed record PlaylistPoint(string CrawlId, DateTimeOffset CrawledAt, string State, long PlayCount, long SubscribedCount, long ShareCount, long CommentCount)
{
    public static PlaylistPoint Of(PlaylistRecord r, string state) =>
        new(r.CrawlId, r.CrawledAt, state, r.Detail.PlayCount, r.Detail.SubscribedCount, r.Detail.ShareCount, r.Detail.CommentCount);
}

/// <summary>How plays and subscribers moved from the previous completed crawl to the latest row, over how many days.</summary>
public sealed record PlaylistChange(long PlayCount, long SubscribedCount, double Days, string FromCrawlId);

/// <summary>A playlist's history in one category: its latest row, the crawls that recorded it (newest first) and the change since the previous completed one.</summary>
public sealed record CategoryHistory(string Category, string Name, PlaylistPoint Latest, PlaylistPoint? Previous, PlaylistChange? Change, IReadOnlyList<PlaylistPoint> Crawls);

public sealed record PlaylistHistory(long PlaylistId, IReadOnlyList<CategoryHistory> Categories);

/// <summary>
/// The data routes over the dataset: <c>GET /api/playlists</c> (the data view's pages), <c>/api/playlists/stats</c>,
/// <c>/api/playlists/{id}/history</c> and <c>/api/playlists.parquet</c>. The listing and the figures read the latest view
/// (table <c>Playlists</c>); history and export read each crawl's own rows (table <c>CrawlItems</c>).
/// </summary>
public sealed class PlaylistBrowser(PlaylistTable playlists, CrawlItemTable items, CrawlTable crawls, CrawlQueries queries, ILogger<PlaylistBrowser>? log = null)
{
    /// <summary>Crawls looked at for one playlist's history (newest first); older ones are not shown.</summary>
    public const int MaxHistoryCrawls = 30;
    /// <summary>Registry rows read to learn which categories the dataset has (retention keeps it small).</summary>
    public const int MaxRegistryRows = 2_000;

    /// <summary><c>GET /api/playlists?category=&amp;q=&amp;sort=&amp;top=&amp;continuation=</c>.</summary>
    public Task<ApiResult> ListAsync(string? category, string? q, string? sort, string? top, string? continuation, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        var query = PlaylistQuery.Parse(category, q, sort, top, continuation);
        var (rows, truncated) = await ReadAsync(query.Category, ct);
        return ApiResult.Data(query.Apply(rows, truncated));
    }, log, ct);

    /// <summary><c>GET /api/playlists/stats[?category=]</c>: per category, count, median and top 10 by plays, the play-count distribution.</summary>
    public Task<ApiResult> StatsAsync(string? category, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        var categories = string.IsNullOrEmpty(category) ? await DatasetCategoriesAsync(ct) : [category];
        var stats = new List<CategoryStats>();
        var budget = PlaylistQuery.MaxRows;
        foreach (var c in categories)
        {
            var read = budget > 0 ? await playlists.ReadCategoryAsync(c, budget, ct) : new CategoryRows([], true);
            budget -= read.Rows.Count;
            if (read.Rows.Count > 0 || read.Truncated) stats.Add(PlaylistStats.Of(c, read.Rows, read.Truncated));
        }
        return ApiResult.Data(new DatasetStats(stats));
    }, log, ct);

    /// <summary>
    /// <c>GET /api/playlists/{id}/history[?category=]</c>: for each category holding the playlist (or the one named), its
    /// latest row, what the last <see cref="MaxHistoryCrawls"/> crawls of that category recorded, and the change in plays and
    /// subscribers since the previous completed crawl that recorded it. 404 for an id the dataset does not hold, 400 for
    /// a <c>playlistId</c> that is not an id.
    /// </summary>
    public Task<ApiResult> HistoryAsync(string playlistId, string? category, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        if (!TryParseId(playlistId, out var id)) return ApiResult.Fail(StatusCodes.Status400BadRequest, ApiErrors.NotAPlaylistId(playlistId));
        var categories = string.IsNullOrEmpty(category) ? await playlists.CategoriesOfAsync(id, await DatasetCategoriesAsync(ct), ct) : [category];
        var registry = await RecentCrawlsAsync(ct);
        var result = new List<CategoryHistory>();
        foreach (var c in categories)
        {
            if (await playlists.GetAsync(c, id, ct) is not { } latest) continue;
            var points = new List<PlaylistPoint>();
            PlaylistPoint? previous = null;
            var latestStart = registry.FirstOrDefault(r => r.CrawlId == latest.CrawlId)?.StartedAt ?? latest.CrawledAt;
            foreach (var crawl in registry.Where(r => r.Categories.Contains(c, StringComparer.Ordinal)).Take(MaxHistoryCrawls))
            {
                if (await items.GetRowAsync(crawl.CrawlId, c, id, ct) is not { } row) continue;
                var state = (await queries.StatusAsync(crawl, ct)).State;
                var point = PlaylistPoint.Of(row, state);
                points.Add(point);
                if (previous is null && crawl.CrawlId != latest.CrawlId && crawl.StartedAt < latestStart && state == CrawlStates.Completed) previous = point;
            }
            var now = PlaylistPoint.Of(latest, points.FirstOrDefault(p => p.CrawlId == latest.CrawlId)?.State ?? "");
            var change = previous is null ? null
                : new PlaylistChange(latest.Detail.PlayCount - previous.PlayCount, latest.Detail.SubscribedCount - previous.SubscribedCount,
                    Math.Round((latest.CrawledAt - previous.CrawledAt).TotalDays, 2), previous.CrawlId);
            result.Add(new CategoryHistory(c, latest.Detail.Name, now, previous, change, points));
        }
        return result.Count == 0 ? NotInDataset(playlistId) : ApiResult.Data(new PlaylistHistory(id, result));
    }, log, ct);

    /// <summary>
    /// <c>GET /api/playlists.parquet[?category=&amp;crawlId=]</c>: the latest crawl's own rows (or the named crawl's), as
    /// <c>playlists.parquet</c>. Parquet writes its footer by seeking back, so the file is written to a temporary file first.
    /// </summary>
    public Task<ApiResult> ParquetAsync(string? category, string? crawlId, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        var crawl = string.IsNullOrEmpty(crawlId) ? await crawls.LatestAsync(ct) : await crawls.GetAsync(crawlId, ct);
        if (crawl is null)
            return ApiResult.Fail(StatusCodes.Status404NotFound, string.IsNullOrEmpty(crawlId) ? ApiErrors.NoCrawlYet : ApiErrors.NoCrawl(crawlId));
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await PlaylistParquet.WriteAsync(file, items.ReadRowsAsync(crawl.CrawlId, string.IsNullOrEmpty(category) ? crawl.Categories : [category], ct), ct);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        var length = file.Length;
        return ApiResult.Stream("application/vnd.apache.parquet", async (output, token) =>
        {
            await using (file)
            {
                file.Position = 0;
                await file.CopyToAsync(output, token);
            }
        }, new Dictionary<string, string>
        {
            ["Content-Disposition"] = "attachment; filename=playlists.parquet",
            ["Content-Length"] = length.ToString(CultureInfo.InvariantCulture),
        });
    }, log, ct);

    /// <summary>The rows of one category, or of every category the dataset has, at most <see cref="PlaylistQuery.MaxRows"/> in all.</summary>
    private async Task<(List<PlaylistRecord> Rows, bool Truncated)> ReadAsync(string? category, CancellationToken ct)
    {
        var rows = new List<PlaylistRecord>();
        foreach (var c in category is null ? await DatasetCategoriesAsync(ct) : [category])
        {
            var read = await playlists.ReadCategoryAsync(c, PlaylistQuery.MaxRows - rows.Count, ct);
            rows.AddRange(read.Rows);
            if (read.Truncated || rows.Count >= PlaylistQuery.MaxRows) return (rows, true);
        }
        return (rows, false);
    }

    /// <summary>
    /// Every category some registered crawl covered, in the order crawls first met them (newest crawl first). The clean-up
    /// keeps the newest completed crawl of each category, so every category of the latest view is among them.
    /// </summary>
    public async Task<IReadOnlyList<string>> DatasetCategoriesAsync(CancellationToken ct)
    {
        var seen = new List<string>();
        foreach (var crawl in await RecentCrawlsAsync(ct))
            foreach (var c in crawl.Categories)
                if (!seen.Contains(c, StringComparer.Ordinal)) seen.Add(c);
        return seen;
    }

    private async Task<List<CrawlInfo>> RecentCrawlsAsync(CancellationToken ct)
    {
        var list = new List<CrawlInfo>();
        string? continuation = null;
        do
        {
            var page = await crawls.ListPageAsync(CrawlQueries.MaxTop, continuation, ct);
            list.AddRange(page.Crawls);
            continuation = page.Continuation;
        }
        while (continuation is not null && list.Count < MaxRegistryRows);
        return list;
    }

    public static bool TryParseId(string? text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0 && text!.Length <= 19;

    internal static ApiResult NotInDataset(string playlistId) =>
        ApiResult.Fail(StatusCodes.Status404NotFound, $"No playlist '{Shorten(playlistId)}' in the dataset.");

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
