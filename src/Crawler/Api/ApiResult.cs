using System.Text.Json;
using FunctionsCrawler.Progress;
using Microsoft.AspNetCore.Http;

namespace FunctionsCrawler.Api;

/// <summary>
/// What a route handler answers (<see cref="CrawlApi"/>, and the data routes <see cref="Data.PlaylistBrowser"/> and
/// <see cref="Data.CoverRoute"/>), whatever the host: a status code, headers and a JSON body, a text (the dashboard),
/// bytes (a cover), or a body written as it streams (the CSV and Parquet exports). Each host maps it in one line with
/// <see cref="ToResult"/>: both return ASP.NET Core's <see cref="IResult"/>.
/// </summary>
public sealed class ApiResult
{
    public const string JsonType = "application/json; charset=utf-8";

    private ApiResult(int statusCode, string? contentType, object? json, string? text, Func<Stream, CancellationToken, Task>? write,
        IReadOnlyDictionary<string, string>? headers, byte[]? bytes = null, JsonSerializerOptions? jsonOptions = null)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Json = json;
        Text = text;
        Write = write;
        Bytes = bytes;
        Headers = WithCaching(headers);
        _jsonOptions = jsonOptions ?? (json is ApiError ? ErrorJson : StatusJson.Options);
    }

    private readonly JsonSerializerOptions _jsonOptions;

    public int StatusCode { get; }
    /// <summary>Null only for 304, which has no body.</summary>
    public string? ContentType { get; }
    /// <summary>The JSON body's value (written with <see cref="StatusJson.Options"/>), when the answer is JSON.</summary>
    public object? Json { get; }
    public string? Text { get; }
    /// <summary>Writes a streamed body (the CSV), when the answer is one.</summary>
    public Func<Stream, CancellationToken, Task>? Write { get; }
    /// <summary>A body of bytes (a cover), when the answer is one.</summary>
    public byte[]? Bytes { get; }
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>
    /// What caches are told of an answer that says nothing itself (every answer but a cover's, <see cref="Data.CoverRoute.CacheControl"/>):
    /// on Azure the dataset, export and command routes take a function key, so no shared cache may keep their answers, and
    /// the figures change as a crawl runs. Set here, for every route of both hosts, so no route can forget it.
    /// </summary>
    public const string DefaultCacheControl = "private, no-store";

    private static Dictionary<string, string> WithCaching(IReadOnlyDictionary<string, string>? headers)
    {
        var all = new Dictionary<string, string>(headers ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        all.TryAdd("Cache-Control", DefaultCacheControl);
        return all;
    }

    /// <summary>The <c>error</c> of a JSON error body, else null.</summary>
    public string? Error => Json is ApiError error ? error.Error : null;

    public static ApiResult Ok(object value) => new(StatusCodes.Status200OK, JsonType, value, null, null, null);

    /// <summary>200 with a compact JSON body: the data view's pages, read by the page rather than by people.</summary>
    public static ApiResult Data(object value) => new(StatusCodes.Status200OK, JsonType, value, null, null, null, jsonOptions: CompactJson);

    public static ApiResult File(byte[] bytes, string contentType, IReadOnlyDictionary<string, string> headers) =>
        new(StatusCodes.Status200OK, contentType, null, null, null, headers, bytes);

    /// <summary>304: the client's copy (its <c>If-None-Match</c>) is current.</summary>
    public static ApiResult NotModified(IReadOnlyDictionary<string, string> headers) => new(StatusCodes.Status304NotModified, null, null, null, null, headers);

    public static ApiResult Accepted(object value) => new(StatusCodes.Status202Accepted, JsonType, value, null, null, null);

    /// <summary>An error: <c>{"error": message}</c>, one line; <paramref name="crawlId"/> names the crawl in the way (409).</summary>
    public static ApiResult Fail(int statusCode, string message, string? crawlId = null) =>
        new(statusCode, JsonType, new ApiError(message, crawlId), null, null, null);

    /// <summary>Seconds a client is asked to wait after a 503: storage or the status entity should be back by then.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>503 with <c>Retry-After</c>: something the route needs does not answer right now; <c>{"error": message}</c>, one line.</summary>
    public static ApiResult Unavailable(string message) =>
        new(StatusCodes.Status503ServiceUnavailable, JsonType, new ApiError(message), null, null,
            new Dictionary<string, string> { ["Retry-After"] = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public static ApiResult Content(string text, string contentType) => new(StatusCodes.Status200OK, contentType, null, text, null, null);

    public static ApiResult Stream(string contentType, Func<Stream, CancellationToken, Task> write, IReadOnlyDictionary<string, string> headers) =>
        new(StatusCodes.Status200OK, contentType, null, null, write, headers);

    /// <summary>The answer as ASP.NET Core's result, for either host.</summary>
    public IResult ToResult() => new HttpApiResult(this);

    /// <summary>Writes the answer to an ASP.NET Core response.</summary>
    public async Task WriteAsync(HttpResponse response, CancellationToken ct)
    {
        response.StatusCode = StatusCode;
        if (ContentType is not null) response.ContentType = ContentType;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        if (Bytes is not null) response.ContentLength = Bytes.Length;
        await WriteBodyAsync(response.Body, ct);
    }

    /// <summary>Writes the body alone (a response's, or a test's stream).</summary>
    public async Task WriteBodyAsync(Stream output, CancellationToken ct)
    {
        // Errors are one line (a log or a terminal shows them whole); figures are indented for people, data compact.
        if (Json is not null) await JsonSerializer.SerializeAsync(output, Json, Json.GetType(), _jsonOptions, ct);
        else if (Text is not null) await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(Text), ct);
        else if (Bytes is not null) await output.WriteAsync(Bytes, ct);
        else if (Write is not null) await Write(output, ct);
    }

    /// <summary>The data view's JSON: the status JSON's conventions, not indented.</summary>
    public static readonly JsonSerializerOptions CompactJson = new(StatusJson.Options) { WriteIndented = false };

    private static readonly JsonSerializerOptions ErrorJson = new(StatusJson.Options)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The body of every error answer: <c>error</c>, and <c>crawlId</c> when a crawl is in the way.</summary>
    public sealed record ApiError(string Error, string? CrawlId = null);

    /// <summary>
    /// The <see cref="IResult"/> of an answer; it also says its status code and value, as ASP.NET Core's own results do,
    /// so a host's test can read them without running the response.
    /// </summary>
    private sealed class HttpApiResult(ApiResult result) : IResult, IStatusCodeHttpResult, IValueHttpResult, IContentTypeHttpResult
    {
        public int? StatusCode => result.StatusCode;
        public object? Value => result.Json is ApiError error ? new { error = error.Error, crawlId = error.CrawlId } : result.Json ?? result.Text ?? (object?)result.Bytes;
        public string? ContentType => result.ContentType;
        public Task ExecuteAsync(HttpContext httpContext) => result.WriteAsync(httpContext.Response, httpContext.RequestAborted);
    }
}
