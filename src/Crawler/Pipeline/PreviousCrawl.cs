using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// A category's crawl and the previous completed crawl of the same site that read it, and what each listed: how the
/// status counts a crawl's new and gone playlists when it ends, and what <c>GET /api/categories/{category}/changes</c> shows.
/// </summary>
public sealed class PreviousCrawl(CrawlTable crawls, CrawlItemTable items)
{
    /// <summary>Registry rows looked through for the previous crawl, newest first.</summary>
    public const int MaxRegistryRows = 2_000;

    private static readonly string[] Columns = ["Name", "PlayCount"];

    /// <summary>Categories whose gone playlists are counted at once when a crawl ends (each reads two crawls' lists).</summary>
    private const int CountInParallel = 8;

    /// <summary>
    /// Per category of the crawl that read its pages without a failure: how many playlists the previous completed crawl of
    /// its site listed there and this crawl did not meet at all (<c>gone</c>: in no list today; the tally has the ids met). One pass over the registry
    /// for every category; a category with no previous crawl, failed pages or another page cap than the previous crawl's
    /// has no figure (its lists cannot be compared).
    /// </summary>
    public async Task<Dictionary<string, int>> CountGoneAsync(CrawlInfo crawl, CrawlTally tally, CancellationToken ct)
    {
        var comparable = crawl.Categories.Where(c => tally.Counts.GetValueOrDefault(c) is { PagesDone: > 0, PagesFailed: 0 }).ToList();
        var previous = await FindPreviousAsync(crawl, comparable, ct);
        var gone = new Dictionary<string, int>(StringComparer.Ordinal);
        using var slots = new SemaphoreSlim(CountInParallel);
        await Task.WhenAll(previous.Where(p => p.Value.MaxPages == crawl.MaxPages).Select(async p =>
        {
            await slots.WaitAsync(ct);
            try
            {
                var now = tally.Listed.GetValueOrDefault(p.Key) ?? [];
                var before = await ListedAsync(p.Value.CrawlId, p.Key, ct);
                lock (gone) gone[p.Key] = before.Keys.Count(id => !now.Contains(id));
            }
            finally { slots.Release(); }
        }));
        return gone;
    }

    /// <summary>For each category, the newest completed crawl of the crawl's site that read it and started before it: one pass over the registry.</summary>
    private async Task<Dictionary<string, CrawlInfo>> FindPreviousAsync(CrawlInfo crawl, List<string> categories, CancellationToken ct)
    {
        var found = new Dictionary<string, CrawlInfo>(StringComparer.Ordinal);
        if (categories.Count == 0) return found;
        await foreach (var other in crawls.RecentAsync(MaxRegistryRows, ct))
        {
            if (other.CrawlId == crawl.CrawlId || other.Site != crawl.Site || other.StartedAt >= crawl.StartedAt) continue;
            foreach (var category in categories.Where(c => !found.ContainsKey(c) && ReadCompleted(other, c)))
                found[category] = other;
            if (found.Count == categories.Count) break;
        }
        return found;
    }

    /// <summary>The newest completed crawl that read the category, and the previous one of its site: the registry newest first.</summary>
    public async Task<(CrawlInfo? Newest, CrawlInfo? Previous)> FindAsync(string category, CancellationToken ct)
    {
        CrawlInfo? newest = null;
        await foreach (var crawl in crawls.RecentAsync(MaxRegistryRows, ct))
        {
            if (!ReadCompleted(crawl, category)) continue;
            if (newest is null) newest = crawl;
            else if (crawl.Site == newest.Site && crawl.StartedAt < newest.StartedAt) return (newest, crawl);
        }
        return (newest, null);
    }

    /// <summary>A completed crawl that read at least one list page of the category (its rows are that category's list then).</summary>
    private static bool ReadCompleted(CrawlInfo crawl, string category) =>
        crawl.State == CrawlInfo.Completed && crawl.Final?.Counts.GetValueOrDefault(category)?.PagesDone > 0;

    public async Task<(Dictionary<long, (string Name, long Plays)> Now, Dictionary<long, (string Name, long Plays)>? Before)> ReadBothAsync(
        CrawlInfo newest, CrawlInfo? previous, string category, CancellationToken ct)
    {
        var now = ListedAsync(newest.CrawlId, category, ct);
        if (previous is null) return (await now, null);
        var before = ListedAsync(previous.CrawlId, category, ct); // both read at once
        await Task.WhenAll(now, before);
        return (await now, await before);
    }

    /// <summary>The playlists a crawl recorded in the category: id → name and plays (one range query, two columns).</summary>
    private async Task<Dictionary<long, (string Name, long Plays)>> ListedAsync(string crawlId, string category, CancellationToken ct)
    {
        var listed = new Dictionary<long, (string Name, long Plays)>();
        await foreach (var r in items.ReadRowsAsync(crawlId, category, Columns, ct))
            listed[r.Detail.Id] = (r.Detail.Name, r.Detail.PlayCount);
        return listed;
    }

}
