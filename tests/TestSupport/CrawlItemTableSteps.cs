using FunctionsCrawler.Storage;

namespace FunctionsCrawler.TestSupport;

/// <summary>The item table's page steps as tests take them: ids met on an HTML list page, plans of HTML list pages.</summary>
public static class CrawlItemTableSteps
{
    /// <summary>Finishes a page that shows these ids (each to fetch); its new playlists with their rows' ETags, or null when it was finished already.</summary>
    public static async Task<IReadOnlyList<PlaylistRef>?> FinishPageAsync(this CrawlItemTable items, string crawlId, string category, int index,
        IReadOnlyList<long> ids, DateTimeOffset at, CancellationToken ct) =>
        (await items.FinishListedPageAsync(crawlId, category, index, ids.Select(id => new ListedItem(id)).ToList(), at, ct))?.Pending;

    /// <summary>Plans a category of HTML list pages; the plan that stands.</summary>
    public static async Task<int> PlanAsync(this CrawlItemTable items, string crawlId, string category, int pages, CancellationToken ct) =>
        (await items.PlanAsync(crawlId, category, pages, ListSources.Page, ct)).Pages;
}
