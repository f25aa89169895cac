using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FunctionsCrawler.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// A response body as text (decoded as a browser would), with its status code, for the parsers to classify.
/// <see cref="Problem"/> is set when the answer could not be read at all (over the size cap, redirected
/// outside the site); <see cref="RetryAfter"/> when the site said how long to wait.
/// </summary>
public sealed record SiteResponse(int StatusCode, string Body)
{
    public string? Problem { get; init; }
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>Not sent: the crawl was paused at its turn (<see cref="SitePausedException"/>); until when.</summary>
    public DateTimeOffset? HeldUntil { get; init; }
}

/// <summary>A downloaded cover, or why there is none; <see cref="Blocked"/> when the image host pushed back (429/503).</summary>
public sealed record CoverDownload(byte[]? Bytes, string? ContentType, string? Problem)
{
    public string? Blocked { get; init; }
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>A block that was never sent: the crawl was paused at its turn.</summary>
    public bool Held { get; init; }
}

/// <summary>
/// Fetches list pages, detail pages, the JSON API (details, track lists, songs) and covers from the site (or the Sandbox).
/// Every request, retries and redirect hops included, waits its turn in the pacer; every answer is read
/// within <c>NetEase__ReadTimeoutSeconds</c> and a size cap, then classified before anything retries it:
/// only transport faults and HTTP 500/502/504 that are not a block are retried here (with backoff and
/// jitter); a block is returned at once so the crawl can pause.
/// </summary>
public sealed class NetEaseClient
{
    public const string HttpClientName = "NetEase";
    /// <summary>Redirect hops followed for one request, each one checked against the allowed hosts.</summary>
    public const int MaxRedirects = 5;
    private const int MaxRetries = 3;

    private readonly HttpClient _http;
    private readonly HostRateLimiter _pacer;
    private readonly NetEaseOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NetEaseClient> _log;
    private readonly ResiliencePipeline<Fetched> _retry;
    private readonly IReadOnlyList<string> _imageHosts;

    public NetEaseClient(HttpClient http, HostRateLimiter pacer, IOptions<NetEaseOptions> options, TimeProvider time, ILogger<NetEaseClient> log)
    {
        _http = http;
        _pacer = pacer;
        _options = options.Value;
        _imageHosts = _options.ImageHostList;
        _time = time;
        _log = log;
        _retry = new ResiliencePipelineBuilder<Fetched> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<Fetched>
            {
                MaxRetryAttempts = MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(_options.RetryDelaySeconds),
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    _log.LogInformation("Retrying {Url} in {Delay:0.0} s (try {Try} of {Tries}): {Reason}",
                        args.Outcome.Result?.Url ?? (args.Outcome.Exception as SiteFetchException)?.Url, args.RetryDelay.TotalSeconds,
                        args.AttemptNumber + 2, MaxRetries + 1, args.Outcome.Exception?.Message ?? $"HTTP {args.Outcome.Result?.Status}");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public Uri BaseUri => _options.BaseUri;

    /// <summary>Whether category lists are read as JSON (<c>NetEase__ListSource=api</c>) rather than as HTML pages.</summary>
    public bool UseApiLists => _options.UseApiLists;

    public async Task<PageResult<ListPage>> GetListPageAsync(string category, int pageIndex, CancellationToken ct)
    {
        var response = await GetTextAsync(NetEaseUrls.ListPage(BaseUri, category, pageIndex * NetEaseUrls.PageSize), ct);
        return Parsed(response, ListPageParser.Parse);
    }

    /// <summary>
    /// One page of a category's JSON list (<c>/api/playlist/list</c>), <c>NetEase__ListPageSize</c> playlists a page
    /// (offset = <paramref name="pageIndex"/> × that); blocked, gone or malformed with its reason when it cannot be read
    /// (the caller then falls back to the HTML list pages). Throws <see cref="SiteFetchException"/> when the site cannot be reached.
    /// </summary>
    public async Task<PageResult<ListPage>> GetApiListAsync(string category, int pageIndex, CancellationToken ct)
    {
        var limit = _options.ListPageSize;
        ArgumentOutOfRangeException.ThrowIfNegative(pageIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageIndex, int.MaxValue / limit);
        var response = await GetTextAsync(NetEaseUrls.ApiList(BaseUri, category, pageIndex * limit, limit), ct);
        var now = _time.GetUtcNow();
        return Parsed(response, (status, body) => PlaylistListParser.Parse(status, body, limit, now));
    }

    /// <summary>
    /// Every category the JSON catalogue lists (<c>{base}/api/playlist/catalogue</c>), in its order; blocked or malformed
    /// with its reason when it cannot be read. Throws <see cref="SiteFetchException"/> when the site cannot be reached.
    /// </summary>
    public async Task<PageResult<IReadOnlyList<PlaylistCategory>>> GetCatalogueAsync(CancellationToken ct)
    {
        var response = await GetTextAsync(NetEaseUrls.Catalogue(BaseUri), ct);
        return Parsed(response, CatalogueParser.Parse);
    }

    /// <summary>
    /// The categories the site's menu lists (<c>{base}/discover/playlist/</c>), in menu order; blocked or malformed
    /// with its reason when the menu cannot be read. Throws <see cref="SiteFetchException"/> when the site cannot be reached.
    /// </summary>
    public async Task<PageResult<IReadOnlyList<PlaylistCategory>>> GetCategoryMenuAsync(CancellationToken ct)
    {
        var response = await GetTextAsync(NetEaseUrls.CategoryMenu(BaseUri), ct);
        return Parsed(response, CategoryMenuParser.Parse);
    }

    public async Task<PageResult<PlaylistDetail>> GetPlaylistAsync(long playlistId, CancellationToken ct)
    {
        if (_options.UseJsonApi)
        {
            var api = await GetTextAsync(NetEaseUrls.PlaylistApi(BaseUri, playlistId), ct);
            return Parsed(api, (status, body) => PlaylistApiParser.Parse(status, body, playlistId));
        }
        var page = await GetTextAsync(NetEaseUrls.Playlist(BaseUri, playlistId), ct);
        return Parsed(page, (status, body) => PlaylistPageParser.Parse(status, body, playlistId));
    }

    /// <summary>
    /// A playlist's track list (<c>playlist.trackIds</c> of the JSON detail, <c>{base}/api/v6/playlist/detail?id=N</c>,
    /// whatever <c>NetEase__DetailSource</c> says); blocked, gone or malformed with its reason as
    /// <see cref="PlaylistTracksParser"/> says. Throws <see cref="SiteFetchException"/> when the site cannot be reached.
    /// </summary>
    public async Task<PageResult<PlaylistTracks>> GetPlaylistTracksAsync(long playlistId, CancellationToken ct)
    {
        var response = await GetTextAsync(NetEaseUrls.PlaylistApi(BaseUri, playlistId), ct);
        return Parsed(response, (status, body) => PlaylistTracksParser.Parse(status, body, playlistId));
    }

    /// <summary>
    /// A playlist's row and its track list from one request of the JSON detail (<c>/api/v6/playlist/detail?id=N</c>),
    /// whatever <c>NetEase__DetailSource</c> says: the HTML detail page carries no track ids.
    /// </summary>
    public async Task<PageResult<TrackedPlaylist>> GetPlaylistWithTracksAsync(long playlistId, CancellationToken ct)
    {
        var response = await GetTextAsync(NetEaseUrls.PlaylistApi(BaseUri, playlistId), ct);
        return Parsed(response, (status, body) => PlaylistApiParser.ParseWithTracks(status, body, playlistId));
    }

    /// <summary>Whether playlist details come from the JSON detail (<c>NetEase__DetailSource=api</c>).</summary>
    public bool UseJsonDetails => _options.UseJsonApi;

    /// <summary>Song ids asked per song detail request (<c>NetEase__SongBatchSize</c>); <see cref="GetSongsAsync"/> takes no more.</summary>
    public int SongBatchSize => _options.SongBatchSize;

    /// <summary>
    /// The songs of 1 to <see cref="SongBatchSize"/> ids (ids above 0) in one request: a GET of
    /// <see cref="NetEaseUrls.SongDetail"/>, or, when that address would be longer than
    /// <see cref="NetEaseUrls.MaxSongDetailGetLength"/>, a POST of the same <c>c=</c> form; read as
    /// <see cref="SongDetailParser"/> says. Throws <see cref="SiteFetchException"/> when the site cannot be reached.
    /// </summary>
    public async Task<PageResult<SongBatch>> GetSongsAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ids.Count, SongBatchSize);
        var url = NetEaseUrls.SongDetail(BaseUri, ids);
        var fetched = url.AbsoluteUri.Length <= NetEaseUrls.MaxSongDetailGetLength
            ? await FetchAsync(url, FetchKind.Page, ct)
            : await FetchAsync(NetEaseUrls.SongDetailForm(BaseUri), FetchKind.Page, ct, NetEaseUrls.SongDetailQuery(ids));
        return Parsed(AsResponse(fetched), (status, body) => SongDetailParser.Parse(status, body, ids));
    }

    /// <summary>
    /// GETs a page of the site as text. Throws <see cref="SiteFetchException"/> when the site cannot be reached
    /// or gives no complete answer in time, after the retries.
    /// </summary>
    public async Task<SiteResponse> GetTextAsync(Uri url, CancellationToken ct)
    {
        return AsResponse(await FetchAsync(url, FetchKind.Page, ct));
    }

    private static SiteResponse AsResponse(Fetched fetched) =>
        new(fetched.Status, fetched.Text ?? "") { Problem = fetched.Problem, RetryAfter = fetched.RetryAfter, HeldUntil = fetched.HeldUntil };

    /// <summary>Longer than any real image URL; a longer one is hostile page content, not fetched.</summary>
    public const int MaxCoverUrlLength = 2048;

    /// <summary>
    /// The cover to fetch for a playlist's cover URL — the full-size image, or its <c>NetEase__CoverSize</c> resize
    /// (<c>?param=NyN</c>) — or why it is not fetched (page content is hostile).
    /// </summary>
    public (Uri? Url, string? Problem) CoverUrl(string? coverUrl)
    {
        if (string.IsNullOrWhiteSpace(coverUrl)) return (null, "playlist has no cover URL");
        if (coverUrl.Length > MaxCoverUrlLength) return (null, $"cover URL is {coverUrl.Length:N0} characters, over the {MaxCoverUrlLength:N0} allowed");
        if (!Uri.TryCreate(NetEaseUrls.SizedCover(coverUrl, Math.Max(_options.CoverSize, 0)), UriKind.Absolute, out var url))
            return (null, $"cover URL is not absolute: '{(coverUrl.Length <= 80 ? coverUrl : coverUrl[..80] + "…")}'");
        if (!CoverHosts.IsAllowed(url, BaseUri, _imageHosts)) return (null, $"cover host '{url.Authority}' is not allowed");
        return (url, null);
    }

    /// <summary>
    /// Downloads a cover, following redirects only within the allowed image hosts, with its size capped.
    /// Transient faults that outlast the retries throw <see cref="SiteFetchException"/> so the message is retried.
    /// </summary>
    public async Task<CoverDownload> GetCoverAsync(Uri url, CancellationToken ct)
    {
        if (!CoverHosts.IsAllowed(url, BaseUri, _imageHosts)) return new CoverDownload(null, null, $"cover host '{url.Authority}' is not allowed");
        var fetched = await FetchAsync(url, FetchKind.Cover, ct);
        if (fetched.HeldUntil is { } until) return new CoverDownload(null, null, null) { Blocked = HeldReason, RetryAfter = until - _time.GetUtcNow(), Held = true };
        if (fetched.Problem is not null) return new CoverDownload(null, null, fetched.Problem);
        return fetched.Status switch
        {
            429 or 503 => new CoverDownload(null, null, null) { Blocked = $"cover host answered HTTP {fetched.Status}", RetryAfter = fetched.RetryAfter },
            >= 500 => throw new SiteFetchException(fetched.Url, $"cover {fetched.Url} answered HTTP {fetched.Status} after {MaxRetries + 1} tries"),
            < 200 or >= 300 => new CoverDownload(null, null, $"cover answered HTTP {fetched.Status}"),
            _ => new CoverDownload(fetched.Body, fetched.ContentType, null),
        };
    }

    /// <summary>The reason a held request gives: it was not sent.</summary>
    public const string HeldReason = "not sent: the crawl is paused";

    private PageResult<T> Parsed<T>(SiteResponse response, Func<int, string, PageResult<T>> parse)
    {
        if (response.HeldUntil is { } until) return PageResult<T>.Blocked(HeldReason) with { RetryAfter = until - _time.GetUtcNow(), Held = true };
        var result = response.Problem is { } problem ? PageResult<T>.Malformed(problem) : parse(response.StatusCode, response.Body);
        return result.Outcome == PageOutcome.Blocked ? result with { RetryAfter = response.RetryAfter } : result;
    }

    private enum FetchKind { Page, Cover }

    /// <summary>One answer as read: status, type, body (and its text for pages), or the problem that stopped the read.</summary>
    private sealed record Fetched(Uri Url, int Status, string? ContentType, byte[] Body, string? Text, TimeSpan? RetryAfter, string? Problem)
    {
        public DateTimeOffset? HeldUntil { get; init; }
    }

    /// <summary>A GET, or with <paramref name="form"/> (URL-encoded) a POST of it.</summary>
    private async Task<Fetched> FetchAsync(Uri url, FetchKind kind, CancellationToken ct, string? form = null)
    {
        try
        {
            return await _retry.ExecuteAsync(static (state, token) => state.Client.FetchOnceAsync(state.Url, state.Kind, state.Form, token),
                (Client: this, Url: url, Kind: kind, Form: form), ct);
        }
        catch (SiteFetchException e) when (!ct.IsCancellationRequested)
        {
            throw new SiteFetchException(e.Url, $"{e.Message} (gave up after {MaxRetries + 1} tries)", e.InnerException, e.HttpRequestError);
        }
        catch (SitePausedException paused)
        {
            // Held at its turn (a first try, a retry or a redirect hop): nothing more goes to the site during the pause.
            return new Fetched(url, 0, null, [], null, null, null) { HeldUntil = paused.Until };
        }
    }

    /// <summary>One try: every hop waits its turn, is checked against the allowed hosts, and is read within the deadline and cap.</summary>
    private async ValueTask<Fetched> FetchOnceAsync(Uri url, FetchKind kind, string? form, CancellationToken ct)
    {
        var max = kind == FetchKind.Cover ? _options.MaxCoverBytes : _options.MaxPageBytes;
        var what = kind == FetchKind.Cover ? "cover" : "page";
        for (var hop = 0; ; hop++)
        {
            await _pacer.WaitTurnAsync(HostRateLimiter.GroupOf(url), ct).ConfigureAwait(false);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_options.ReadTimeoutSeconds), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            try
            {
                using var request = new HttpRequestMessage(form is null ? HttpMethod.Get : HttpMethod.Post, url);
                if (form is not null)
                {
                    request.Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
                }

                AddBrowserHeaders(request);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (IsRedirect(status))
                {
                    var next = response.Headers.Location is { } location ? new Uri(url, location) : null;
                    if (next is null) return Stopped(url, status, $"{what} redirect (HTTP {status}) without a Location");
                    // 301/302/303 turn a POST into a GET without its form: only 307/308 keep the request as sent.
                    if (form is not null && status is not (307 or 308)) return Stopped(url, status, $"{what} POST redirected with HTTP {status}, which drops its form");
                    if (hop >= MaxRedirects) return Stopped(url, status, $"{what} redirected more than {MaxRedirects} times");
                    if (kind == FetchKind.Cover && !CoverHosts.IsAllowed(next, BaseUri, _imageHosts))
                        return Stopped(url, status, $"{what} {Shorten(url)} redirected to '{next.Host}', which is not allowed");
                    if (kind == FetchKind.Page && OffSite(next) is { } off)
                        return Stopped(url, status, $"{what} {Shorten(url)} redirected to {Shorten(next)}, not the site: {off}");
                    url = next;
                    continue;
                }

                if (response.Content.Headers.ContentLength > max)
                    return Stopped(url, status, $"{what} is {response.Content.Headers.ContentLength:N0} bytes, over the {max:N0}-byte cap");
                var body = await ReadCappedAsync(response.Content, max, linked.Token).ConfigureAwait(false);
                if (body is null) return Stopped(url, status, $"{what} is over the {max:N0}-byte cap (after decompression)");
                var contentType = response.Content.Headers.ContentType?.ToString();
                var text = kind == FetchKind.Page ? PageText.Decode(body, contentType) : null;
                return new Fetched(url, status, response.Content.Headers.ContentType?.MediaType, body, text, RetryAfter(response), null);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is OperationCanceledException or HttpRequestException or IOException)
            {
                if (FindRefusal(e) is { } refused) return Stopped(url, 0, $"{what} {Shorten(url)} not fetched: {refused.Message}");
                if (deadline.IsCancellationRequested || e is OperationCanceledException)
                    throw new SiteFetchException(url, $"{Shorten(url)} gave no complete answer within {_options.ReadTimeoutSeconds} s");
                throw new SiteFetchException(url, $"{Shorten(url)}: {OneLine(e)}", e, (e as HttpRequestException)?.HttpRequestError ?? HttpRequestError.Unknown);
            }
        }
    }

    private static Fetched Stopped(Uri url, int status, string problem) => new(url, status, null, [], null, null, problem);

    /// <summary>Transport faults and 500/502/504 that are not a block (a block is never retried here: the crawl pauses).</summary>
    private static bool IsTransient(Outcome<Fetched> outcome)
    {
        if (outcome.Exception is not null) return outcome.Exception is SiteFetchException;
        var fetched = outcome.Result!;
        if (fetched.Problem is not null || fetched.Status is not (500 or 502 or 504)) return false;
        return fetched.Text is null || ResponseClassifier.Classify(fetched.Status, fetched.Text).Outcome != PageOutcome.Blocked;
    }

    /// <summary>
    /// Why a page redirect's target is not the configured site, or null when it is: the scheme, host and port must all be
    /// the base URL's (the same host on another port is another server; https to http could be altered on the path).
    /// </summary>
    private string? OffSite(Uri url)
    {
        if (!string.Equals(url.Scheme, BaseUri.Scheme, StringComparison.OrdinalIgnoreCase)) return $"scheme {url.Scheme}, not {BaseUri.Scheme}";
        if (!string.Equals(url.Host, BaseUri.Host, StringComparison.OrdinalIgnoreCase)) return $"host '{url.Host}', not '{BaseUri.Host}'";
        return url.Port != BaseUri.Port ? $"port {url.Port}, not {BaseUri.Port}" : null;
    }

    private static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>The body, or null once it grows past <paramref name="max"/> bytes (counted after decompression).</summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpContent content, long max, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : null);
        return wait is { } w ? (w < TimeSpan.Zero ? TimeSpan.Zero : w) : null;
    }

    private static AddressNotAllowedException? FindRefusal(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is AddressNotAllowedException refused) return refused;
        return null;
    }

    private static string OneLine(Exception e)
    {
        var message = e.InnerException is { } inner && !string.IsNullOrWhiteSpace(inner.Message) && inner.Message != e.Message
            ? $"{e.Message} ({inner.Message})" : e.Message;
        return ResponseClassifier.Quote(message);
    }

    private static string Shorten(Uri url) => ResponseClassifier.Quote(url.ToString());

    private void AddBrowserHeaders(HttpRequestMessage request)
    {
        request.Headers.Referrer = BaseUri;
        request.Headers.UserAgent.ParseAdd(_options.UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        request.Headers.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9");
    }

    /// <summary>
    /// The primary handler: decompression on, redirects followed by the client itself (each hop checked), addresses
    /// guarded, and no proxy: through a system proxy (<c>HTTP_PROXY</c>, <c>HTTPS_PROXY</c>) the address guard would check
    /// the proxy's address instead of the site's.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(NetEaseOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null) => new()
    {
        AutomaticDecompression = DecompressionMethods.All,
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(options.ReadTimeoutSeconds),
        ConnectCallback = new SiteAddressGuard(Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var site) ? site : null, resolve).ConnectAsync,
    };
}

/// <summary>The site could not be reached or gave no complete answer in time (after the retries). The message says which and where.</summary>
public sealed class SiteFetchException(Uri url, string message, Exception? inner = null, HttpRequestError error = HttpRequestError.Unknown)
    : HttpRequestException(error, message, inner)
{
    public Uri Url { get; } = url;
}
