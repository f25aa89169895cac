using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace FunctionsCrawler.Sandbox.Tests;

/// <summary>Fetches from a running Sandbox the way a crawler would, and parses pages with AngleSharp.</summary>
internal sealed class SiteClient(SandboxSite site) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = site.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
    private readonly HtmlParser _parser = new();

    public static string ListPath(string category, int pageIndex) =>
        $"/discover/playlist/?order=hot&cat={Uri.EscapeDataString(category)}&limit=35&offset={pageIndex * 35}";

    public Task<HttpResponseMessage> GetAsync(string pathOrUrl) => _http.GetAsync(pathOrUrl);

    public async Task<string> TextAsync(string pathOrUrl)
    {
        using var response = await _http.GetAsync(pathOrUrl);
        response.EnsureSuccessStatusCode();
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
    }

    public async Task<IDocument> PageAsync(string pathOrUrl) => _parser.ParseDocument(await TextAsync(pathOrUrl));

    public Task<IDocument> ListPageAsync(string category, int pageIndex) => PageAsync(ListPath(category, pageIndex));

    public async Task<byte[]> BytesAsync(string pathOrUrl)
    {
        using var response = await _http.GetAsync(pathOrUrl);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    public void Dispose() => _http.Dispose();
}
