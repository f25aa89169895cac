using System.Net;
using System.Net.Http.Headers;
using FunctionsCrawler.Configuration;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.NetEase;

/// <summary>A response body as text, with its status code, for the parsers to classify.</summary>
public sealed record SiteResponse(int StatusCode, string Body);

/// <summary>Fetches list pages, detail pages and the JSON API from the site (or the Sandbox).</summary>
public sealed class NetEaseClient(HttpClient http, IOptions<NetEaseOptions> options)
{
    public const string HttpClientName = "NetEase";
    private readonly NetEaseOptions _options = options.Value;

    public Uri BaseUri => _options.BaseUri;

    public async Task<PageResult<ListPage>> GetListPageAsync(string category, int pageIndex, CancellationToken ct)
    {
        var response = await GetTextAsync(NetEaseUrls.ListPage(BaseUri, category, pageIndex * NetEaseUrls.PageSize), ct);
        return ListPageParser.Parse(response.StatusCode, response.Body);
    }

    public async Task<PageResult<PlaylistDetail>> GetPlaylistAsync(long playlistId, CancellationToken ct)
    {
        if (_options.UseJsonApi)
        {
            var api = await GetTextAsync(NetEaseUrls.PlaylistApi(BaseUri, playlistId), ct);
            return PlaylistApiParser.Parse(api.StatusCode, api.Body, playlistId);
        }
        var page = await GetTextAsync(NetEaseUrls.Playlist(BaseUri, playlistId), ct);
        return PlaylistPageParser.Parse(page.StatusCode, page.Body, playlistId);
    }

    public async Task<SiteResponse> GetTextAsync(Uri url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        AddBrowserHeaders(request);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return new SiteResponse((int)response.StatusCode, body);
    }

    /// <summary>
    /// Downloads a cover with its size capped; returns null with a reason when the answer is not usable
    /// (not found, too large). Transient faults (5xx after retries) throw so the message is retried.
    /// </summary>
    public async Task<(byte[]? Bytes, string? ContentType, string? Problem)> GetCoverAsync(Uri url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        AddBrowserHeaders(request);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.Forbidden)
            return (null, null, $"cover answered HTTP {(int)response.StatusCode}");
        if ((int)response.StatusCode >= 500)
            throw new HttpRequestException($"cover answered HTTP {(int)response.StatusCode}", null, response.StatusCode);
        if (!response.IsSuccessStatusCode)
            return (null, null, $"cover answered HTTP {(int)response.StatusCode}");
        var max = _options.MaxCoverBytes;
        if (response.Content.Headers.ContentLength > max)
            return (null, null, $"cover is {response.Content.Headers.ContentLength} bytes, over the {max}-byte cap");
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
                return (null, null, $"cover is over the {max}-byte cap");
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), response.Content.Headers.ContentType?.MediaType, null);
    }

    private void AddBrowserHeaders(HttpRequestMessage request)
    {
        request.Headers.Referrer = BaseUri;
        request.Headers.UserAgent.ParseAdd(_options.UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        request.Headers.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9");
    }
}
