using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>One page of a category's list as read, and where it was read from (<see cref="ListSources"/>).</summary>
public sealed record CategoryListPage(PageResult<ListPage> Result, string Lists);

/// <summary>
/// Reads one page of a category's list where its plan says: the JSON list answers (<c>NetEase__ListSource=api</c>) or
/// the HTML list pages. A category whose first JSON answer is not a list while the site is not blocking falls back to
/// its HTML pages, with one warning line; a block in any shape stays a block.
/// </summary>
public sealed class ReadCategoryList(NetEaseClient site, CrawlItemTable items, IOptions<NetEaseOptions> options, ILogger<ReadCategoryList> log)
{
    public async Task<CategoryListPage> RunAsync(PageWork work, CancellationToken ct)
    {
        var lists = work.Lists
            ?? (work.PageIndex == 0 ? Configured : await items.PlannedListsAsync(work.CrawlId, work.Category, ct) ?? Configured);
        if (lists != ListSources.Api) return new(await site.GetListPageAsync(work.Category, work.PageIndex, ct), ListSources.Page);

        var answer = await site.GetApiListAsync(work.Category, work.PageIndex, ct);
        if (answer.Outcome is PageOutcome.Ok or PageOutcome.Blocked || work.PageIndex > 0) return new(answer, ListSources.Api);
        log.LogWarning("Category {Category}: its list answer at {Url} is not a list ({Reason}); reading its list pages instead",
            work.Category, NetEaseUrls.ApiList(site.BaseUri, work.Category, 0, options.Value.ListPageSize), answer.Reason);
        return new(await site.GetListPageAsync(work.Category, 0, ct), ListSources.Page);
    }

    private string Configured => options.Value.UseApiLists ? ListSources.Api : ListSources.Page;
}
