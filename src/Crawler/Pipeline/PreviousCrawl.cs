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

    /// <summary>
    /// How many playlists of <paramref name="category"/> the crawl listed that the previous completed crawl of its site did not
    /// (<c>New</c>), and the other way round (<c>Gone</c>); null when the crawl is unknown or no earlier completed crawl read the category.
    /// </summary>
    public async Task<(int New, int Gone)?> CountAsync(CrawlInfo crawl, string category, CancellationToken ct)
    {
        var (_, previous) = await FindAsync(category, crawl, ct);
        if (previous is null) return null;
        var (now, before) = await ReadBothAsync(crawl, previous, category, ct);
        return (now.Keys.Count(id => !before!.ContainsKey(id)), before!.Keys.Count(id => !now.ContainsKey(id)));
    }

    /// <summary>
    /// The newest completed crawl that read the category (or <paramref name="from"/>), and the previous one of its site:
    /// the registry newest first, read a page at a time until both are found.
    /// </summary>
    public async Task<(CrawlInfo? Newest, CrawlInfo? Previous)> FindAsync(string category, CrawlInfo? from, CancellationToken ct)
    {
        var newest = from;
        string? continuation = null;
        var read = 0;
        do
        {
            var page = await crawls.ListPageAsync(CrawlQueries.MaxTop, continuation, ct);
            foreach (var crawl in page.Crawls)
            {
                if (!ReadCompleted(crawl, category)) continue;
                if (newest is null) newest = crawl;
                else if (crawl.CrawlId != newest.CrawlId && crawl.Site == newest.Site && crawl.StartedAt < newest.StartedAt) return (newest, crawl);
            }
            read += page.Crawls.Count;
            continuation = page.Continuation;
        }
        while (continuation is not null && read < MaxRegistryRows);
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
