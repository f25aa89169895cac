using System.Globalization;
using FunctionsCrawler.Api;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Data;

/// <summary>A playlist that came into a category's lists, or left them: its name and plays as the crawl that saw it last recorded them.</summary>
public sealed record ListedPlaylist(long PlaylistId, string Name, long PlayCount, string History);

/// <summary>A playlist whose plays grew between the two crawls: both values and the increase.</summary>
public sealed record PlaylistGrowth(long PlaylistId, string Name, long From, long To, long Increase, string History);

/// <summary>
/// What changed in a category between its newest completed crawl and the previous completed crawl of the same site that
/// read it: <see cref="New"/> (listed now, not then), <see cref="Gone"/> (listed then, in no list now; the dataset keeps
/// their rows) and <see cref="Grew"/> (most plays gained). The lists hold the <c>top</c> most played (most grown);
/// <see cref="NewCount"/> and <see cref="GoneCount"/> count them all. Without a previous crawl, nothing is compared.
/// </summary>
public sealed record CategoryChangesView(string Category, string CrawlId, DateTimeOffset StartedAt, string? PreviousCrawlId, DateTimeOffset? PreviousStartedAt,
    int NewCount, int GoneCount, IReadOnlyList<ListedPlaylist> New, IReadOnlyList<ListedPlaylist> Gone, IReadOnlyList<PlaylistGrowth> Grew);

/// <summary>
/// <c>GET /api/categories/{category}/changes?top=20</c>: a category's newest completed crawl against the previous completed
/// crawl of the same site (<see cref="CrawlInfo.Site"/>) that read it, from the two crawls' own rows in <c>CrawlItems</c>
/// (ids, names and plays only), found by <see cref="PreviousCrawl"/>, which also counts the status's gone playlists.
/// </summary>
public sealed class CategoryChanges(PreviousCrawl previous, ILogger<CategoryChanges>? log = null)
{
    public const int DefaultTop = 20, MaxTop = 100;

    public Task<ApiResult> GetAsync(string category, string? top, CancellationToken ct) => RouteGuard.RunAsync(async () =>
    {
        var name = PlaylistQuery.ParseCategory(RouteCategory(category)) ?? throw new CrawlQueryException("category must name a category, got ''.");
        var count = ParseTop(top);
        var (newest, before) = await previous.FindAsync(name, ct);
        if (newest is null) return ApiResult.Fail(StatusCodes.Status404NotFound, $"No completed crawl of category '{Shorten(name)}' yet.");
        var (now, then) = await previous.ReadBothAsync(newest, before, name, ct);
        return ApiResult.Data(Compare(name, newest, before, now, then, count));
    }, log, ct);

    private static CategoryChangesView Compare(string category, CrawlInfo newest, CrawlInfo? previous,
        Dictionary<long, (string Name, long Plays)> now, Dictionary<long, (string Name, long Plays)>? before, int top)
    {
        if (previous is null || before is null) return new(category, newest.CrawlId, newest.StartedAt, null, null, 0, 0, [], [], []);
        var added = now.Where(p => !before.ContainsKey(p.Key)).ToList();
        var gone = before.Where(p => !now.ContainsKey(p.Key)).ToList();
        var grew = now.Where(p => before.TryGetValue(p.Key, out var then) && p.Value.Plays > then.Plays)
            .Select(p => new PlaylistGrowth(p.Key, p.Value.Name, before[p.Key].Plays, p.Value.Plays, p.Value.Plays - before[p.Key].Plays, HistoryRoute(p.Key, category)))
            .OrderByDescending(g => g.Increase).ThenBy(g => g.PlaylistId).Take(top).ToList();
        return new(category, newest.CrawlId, newest.StartedAt, previous.CrawlId, previous.StartedAt, added.Count, gone.Count,
            MostPlayed(added, category, top), MostPlayed(gone, category, top), grew);
    }

    private static List<ListedPlaylist> MostPlayed(IEnumerable<KeyValuePair<long, (string Name, long Plays)>> playlists, string category, int top) =>
        playlists.OrderByDescending(p => p.Value.Plays).ThenBy(p => p.Key).Take(top)
            .Select(p => new ListedPlaylist(p.Key, p.Value.Name, p.Value.Plays, HistoryRoute(p.Key, category))).ToList();

    /// <summary>The playlist's history route, relative to <c>/api/</c>, as the data view's items give it.</summary>
    private static string HistoryRoute(long id, string category) =>
        $"playlists/{id.ToString(CultureInfo.InvariantCulture)}/history?category={Uri.EscapeDataString(category)}";

    /// <summary>
    /// The category as the route received it. Hosts decode a path segment except for <c>%2F</c> (a '/' would split it), and
    /// categories hold '/' (<c>R&amp;B/Soul</c>): a client sends it as <c>%2F</c>, which is read back here.
    /// </summary>
    public static string RouteCategory(string category) => category.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    public static int ParseTop(string? top) => PlaylistQuery.ParseTop(top, DefaultTop, MaxTop);

    private static string Shorten(string s) => PlaylistQuery.Shorten(s);
}
