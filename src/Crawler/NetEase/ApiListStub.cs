namespace FunctionsCrawler.NetEase;

// TEMPORARY (replaced by the JSON list client being written on branch issue18-netease): lets the pipeline build.
public static class ApiListStub
{
    public static Task<PageResult<ListPage>> GetApiListAsync(this NetEaseClient site, string category, int pageIndex, CancellationToken ct) =>
        site.GetListPageAsync(category, pageIndex, ct);

    public static Uri ApiList(Uri baseUrl, string category, int offset, int limit) =>
        new(baseUrl, $"api/playlist/list?cat={Uri.EscapeDataString(category)}&order=hot&limit={limit}&offset={offset}&total=true");
}
