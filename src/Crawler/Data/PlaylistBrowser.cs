using Azure;
using FunctionsCrawler.Api;
using FunctionsCrawler.Configuration;
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

    public static PlaylistPoint Of(HistoryRow r) =>
        new(r.CrawlId, r.CrawledAt, r.CrawlState, r.PlayCount, r.SubscribedCount, r.ShareCount, r.CommentCount);
}

/// <summary>A playlist's counters when one crawl recorded it: a point of its history's chart.</summary>
public sealed record HistoryPoint(DateTimeOffset CrawledAt, long PlayCount, long SubscribedCount, long ShareCount, long CommentCount, long TrackCount)
{
    public static HistoryPoint Of(HistoryRow r) => new(r.CrawledAt, r.PlayCount, r.SubscribedCount, r.ShareCount, r.CommentCount, r.TrackCount);
}

/// <summary>How plays and subscribers moved from the previous completed crawl to the latest row, over how many days.</summary>
public sealed record PlaylistChange(long PlayCount, long SubscribedCount, double Days, string FromCrawlId);

/// <summary>
/// A playlist's history in one category: its latest row, the last crawls that recorded it (newest first), the change since
/// the previous completed one, and every point of its history (<c>Crawler__HistoryDays</c> of them), oldest first.
/// </summary>
public sealed record CategoryHistory(string Category, string Name, PlaylistPoint Latest, PlaylistPoint? Previous, PlaylistChange? Change,
    IReadOnlyList<PlaylistPoint> Crawls, IReadOnlyList<HistoryPoint> Points);

public sealed record PlaylistHistory(long PlaylistId, IReadOnlyList<CategoryHistory> Categories);

/// <summary>The registry's categories that are names (<see cref="Names"/>), and one line for each that is not (<see cref="Skipped"/>).</summary>
public sealed record DatasetCategories(IReadOnlyList<string> Names, IReadOnlyList<string> Skipped);

/// <summary>
/// The data routes over the dataset: <c>GET /api/playlists</c> (the data view's pages), <c>/api/playlists/stats</c>,
/// <c>/api/playlists/{id}/history</c>, <c>/api/playlists.parquet</c> and the history exports
/// <c>/api/playlists/history.parquet</c> and <c>.csv</c>. The listing and the figures read the latest view (table
/// <c>Playlists</c>), history reads table <c>PlaylistHistory</c>, and the crawl export each crawl's own rows (table <c>CrawlItems</c>).
/// </summary>
public sealed class PlaylistBrowser(PlaylistTable playlists, CrawlItemTable items, CrawlTable crawls, PlaylistHistoryTable history,
    ILogger<PlaylistBrowser>? log = null)
{
    /// <summary>Crawls listed in a playlist's history answer (<c>crawls</c>, newest first); <c>points</c> holds them all.</summary>
    public const int MaxHistoryCrawls = 30;
    /// <summary>Registry rows read to learn which categories the dataset has (retention keeps it small).</summary>
    public const int MaxRegistryRows = PreviousCrawl.MaxRegistryRows;

    /// <summary><c>GET /api/playlists?category=&amp;q=&amp;sort=&amp;top=&amp;continuation=</c>.</summary>
    public Task<ApiResult> ListAsync(string? category, string? q, string? sort, string? top, string? continuation, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        var query = PlaylistQuery.Parse(category, q, sort, top, continuation);
        var (rows, truncated, skipped) = await ReadAsync(query.Category, ct);
        return ApiResult.Data(query.Apply(rows, truncated) with { Skipped = skipped });
    }, log, ct);

    /// <summary><c>GET /api/playlists/stats[?category=]</c>: per category, count, median and top 10 by plays, the play-count distribution.</summary>
    public Task<ApiResult> StatsAsync(string? category, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        var dataset = string.IsNullOrEmpty(category) ? await ReadDatasetCategoriesAsync(ct) : new DatasetCategories([category], []);
        var skipped = dataset.Skipped.ToList();
        var stats = new List<CategoryStats>();
        var budget = PlaylistQuery.MaxRows;
        var chars = PlaylistQuery.MaxTextChars;
        foreach (var c in dataset.Names)
        {
            var read = budget > 0 && chars > 0 ? await TryReadCategoryAsync(c, budget, chars, skipped, dataset.Names.Count > 1, ct) : new CategoryRows([], true);
            if (read is null) continue;
            budget -= read.Rows.Count;
            chars -= read.TextChars;
            if (read.Rows.Count > 0 || read.Truncated) stats.Add(PlaylistStats.Of(c, read.Rows, read.Truncated));
        }
        WarnSkipped("stats", skipped);
        return ApiResult.Data(new DatasetStats(stats) { Skipped = skipped });
    }, log, ct);

    /// <summary>
    /// <c>GET /api/playlists/{id}/history[?category=]</c>: for each category holding the playlist (or the one named), its
    /// latest row, every point its history holds (one range query of table <c>PlaylistHistory</c> per category, the
    /// categories in parallel), the last <see cref="MaxHistoryCrawls"/> of them with their crawl's state, and the change in
    /// plays and subscribers since the previous completed crawl that recorded it. 404 for an id the dataset does not hold,
    /// 400 for a <c>playlistId</c> that is not an id or a <c>category</c> that cannot be one.
    /// </summary>
    public Task<ApiResult> HistoryAsync(string playlistId, string? category, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        if (!TryParseId(playlistId, out var id)) return ApiResult.Fail(StatusCodes.Status400BadRequest, ApiErrors.NotAPlaylistId(playlistId));
        var named = PlaylistQuery.ParseCategory(category);
        var categories = named is null ? await playlists.CategoriesOfAsync(id, await DatasetCategoriesAsync(ct), ct) : [named];
        var found = await Task.WhenAll(categories.Select(c => CategoryHistoryAsync(c, id, ct)));
        var result = found.OfType<CategoryHistory>().ToList();
        return result.Count == 0 ? NotInDataset(playlistId) : ApiResult.Data(new PlaylistHistory(id, result));
    }, log, ct);

    private async Task<CategoryHistory?> CategoryHistoryAsync(string category, long id, CancellationToken ct)
    {
        var latestRead = playlists.GetAsync(category, id, ct);
        var rowsRead = history.ReadPlaylistAsync(category, id, ct);
        await Task.WhenAll(latestRead, rowsRead);
        var rows = await rowsRead;
        if (await latestRead is not { } latest) return null;
        var points = rows.Select(PlaylistPoint.Of).ToList();
        // The latest row may come from a crawl still running (its history is written when it ends): the registry says.
        var state = points.LastOrDefault(p => p.CrawlId == latest.CrawlId)?.State ?? StateOf(await crawls.GetAsync(latest.CrawlId, ct));
        var previous = points.LastOrDefault(p => p.CrawlId != latest.CrawlId && p.CrawledAt < latest.CrawledAt && p.State == CrawlStates.Completed);
        var change = previous is null ? null
            : new PlaylistChange(latest.Detail.PlayCount - previous.PlayCount, latest.Detail.SubscribedCount - previous.SubscribedCount,
                Math.Round((latest.CrawledAt - previous.CrawledAt).TotalDays, 2), previous.CrawlId);
        return new CategoryHistory(category, latest.Detail.Name, PlaylistPoint.Of(latest, state), previous, change,
            points.AsEnumerable().Reverse().Take(MaxHistoryCrawls).ToList(), rows.Select(HistoryPoint.Of).ToList());
    }

    /// <summary>A registered crawl's state as the status names it (a started crawl is running); empty for one the registry no longer has.</summary>
    private static string StateOf(CrawlInfo? crawl) => crawl is null ? "" : crawl.State == CrawlInfo.Started ? CrawlStates.Running : crawl.State;

    /// <summary>
    /// <c>GET /api/playlists/history.parquet[?category=]</c>: every history row of the dataset's categories (or the one named)
    /// as <c>playlist_history.parquet</c>, sorted by category, playlist id and time.
    /// </summary>
    public Task<ApiResult> HistoryParquetAsync(string? category, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        var categories = await HistoryCategoriesAsync(category, ct);
        return await Attachments.ParquetAsync("playlist_history.parquet", file => PlaylistHistoryParquet.WriteAsync(file, history.ReadCategoriesAsync(categories, ct), ct));
    }, log, ct);

    /// <summary><c>GET /api/playlists/history.csv[?category=]</c>: the same rows as <c>playlist_history.csv</c>, streamed from the table.</summary>
    public Task<ApiResult> HistoryCsvAsync(string? category, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        var categories = await HistoryCategoriesAsync(category, ct);
        var rows = await Attachments.StartedAsync(history.ReadCategoriesAsync(categories, ct), ct);
        return Attachments.Csv("playlist_history.csv", (body, token) => PlaylistHistoryCsv.WriteAsync(body, rows, token));
    }, log, ct);

    private async Task<IReadOnlyList<string>> HistoryCategoriesAsync(string? category, CancellationToken ct) =>
        PlaylistQuery.ParseCategory(category) is { } named ? [named] : await DatasetCategoriesAsync(ct);

    /// <summary>
    /// <c>GET /api/playlists.parquet[?category=&amp;crawlId=]</c>: the latest crawl's own rows (or the named crawl's), as
    /// <c>playlists.parquet</c>. Parquet writes its footer by seeking back, so the file is written to a temporary file first.
    /// </summary>
    public Task<ApiResult> ParquetAsync(string? category, string? crawlId, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        var crawl = string.IsNullOrEmpty(crawlId) ? await crawls.LatestAsync(ct) : await crawls.GetAsync(crawlId, ct);
        if (crawl is null)
            return ApiResult.Fail(StatusCodes.Status404NotFound, string.IsNullOrEmpty(crawlId) ? ApiErrors.NoCrawlYet : ApiErrors.NoCrawl(crawlId));
        IReadOnlyList<string> categories = string.IsNullOrEmpty(category) ? crawl.Categories : [category];
        return await Attachments.ParquetAsync("playlists.parquet", file => PlaylistParquet.WriteAsync(file, items.ReadRowsAsync(crawl.CrawlId, categories, ct), ct));
    }, log, ct);

    /// <summary>
    /// The rows of one category, or of every category the dataset has, at most <see cref="PlaylistQuery.MaxRows"/> rows and
    /// <see cref="PlaylistQuery.MaxTextChars"/> characters of text in all; with the categories skipped, one line each.
    /// </summary>
    private async Task<(List<PlaylistRecord> Rows, bool Truncated, IReadOnlyList<string> Skipped)> ReadAsync(string? category, CancellationToken ct)
    {
        var rows = new List<PlaylistRecord>();
        var dataset = category is null ? await ReadDatasetCategoriesAsync(ct) : new DatasetCategories([category], []);
        var skipped = dataset.Skipped.ToList();
        long chars = 0;
        var truncated = false;
        foreach (var c in dataset.Names)
        {
            if (await TryReadCategoryAsync(c, PlaylistQuery.MaxRows - rows.Count, PlaylistQuery.MaxTextChars - chars, skipped, dataset.Names.Count > 1, ct) is not { } read)
                continue;
            rows.AddRange(read.Rows);
            chars += read.TextChars;
            if (read.Truncated || rows.Count >= PlaylistQuery.MaxRows || chars >= PlaylistQuery.MaxTextChars)
            {
                truncated = true;
                break;
            }
        }
        WarnSkipped("listing", skipped);
        return (rows, truncated, skipped);
    }

    /// <summary>
    /// One category's rows; null, with a line in <paramref name="skipped"/>, when storage refuses its partition while other
    /// categories are read (one category's key must not take the whole view down). Storage that does not answer still fails.
    /// </summary>
    private async Task<CategoryRows?> TryReadCategoryAsync(string category, int maxRows, long maxChars, List<string> skipped, bool amongOthers, CancellationToken ct)
    {
        try
        {
            return await playlists.ReadCategoryAsync(category, maxRows, maxChars, ct);
        }
        catch (RequestFailedException e) when (amongOthers && e.Status is >= 400 and < 500)
        {
            skipped.Add($"'{CategoryNames.Preview(category)}': storage answered {e.Status} reading its rows");
            return null;
        }
    }

    private void WarnSkipped(string what, List<string> skipped)
    {
        if (skipped.Count > 0)
            log?.LogWarning("The {What} skipped {Count} categories: {Skipped}", what, skipped.Count, string.Join("; ", skipped.Take(5)) + (skipped.Count > 5 ? "; …" : ""));
    }

    /// <summary>
    /// Every category some registered crawl covered, in the order crawls first met them (newest crawl first). The clean-up
    /// keeps, for each category, the newest crawl holding its rows, so every category of the latest view is among them. A registered
    /// category that is not a name (written before names were checked) is left out.
    /// </summary>
    public async Task<IReadOnlyList<string>> DatasetCategoriesAsync(CancellationToken ct) => (await ReadDatasetCategoriesAsync(ct)).Names;

    /// <summary>The dataset's categories that are names, and one line for each registered category that is not (never read).</summary>
    public async Task<DatasetCategories> ReadDatasetCategoriesAsync(CancellationToken ct)
    {
        var seen = new List<string>();
        var skipped = new List<string>();
        var refused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var crawl in await RecentCrawlsAsync(ct))
            foreach (var c in crawl.Categories)
            {
                if (seen.Contains(c, StringComparer.Ordinal) || refused.Contains(c)) continue;
                if (CategoryNames.Problem(c) is { } why)
                {
                    if (refused.Add(c)) skipped.Add($"'{CategoryNames.Preview(c)}' of crawl {crawl.CrawlId}: not a category name, {why}");
                }
                else seen.Add(c);
            }
        return new DatasetCategories(seen, skipped);
    }

    private async Task<List<CrawlInfo>> RecentCrawlsAsync(CancellationToken ct) => await crawls.RecentAsync(MaxRegistryRows, ct).ToListAsync(ct);

    public static bool TryParseId(string? text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0 && text!.Length <= 19;

    internal static ApiResult NotInDataset(string playlistId) =>
        ApiResult.Fail(StatusCodes.Status404NotFound, $"No playlist '{Shorten(playlistId)}' in the dataset.");

    private static string Shorten(string s) => PlaylistQuery.Shorten(s);
}
