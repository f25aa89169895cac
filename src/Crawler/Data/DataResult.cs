using System.Text.Json;
using FunctionsCrawler.Progress;
using Microsoft.AspNetCore.Http;

namespace FunctionsCrawler.Data;

/// <summary>
/// What a data route (<see cref="PlaylistBrowser"/>, <see cref="CoverRoute"/>) answers, whatever the host: a status code,
/// headers, and a JSON value, bytes or a body written as it streams. It is ASP.NET Core's <see cref="IResult"/>, which both
/// hosts return, so each host maps a route in one line.
/// </summary>
public sealed class DataResult : IResult, IStatusCodeHttpResult, IValueHttpResult, IContentTypeHttpResult
{
    public const string JsonType = "application/json; charset=utf-8";

    private readonly Func<Stream, CancellationToken, Task>? _write;

    private DataResult(int statusCode, string? contentType, object? json, byte[]? bytes, Func<Stream, CancellationToken, Task>? write,
        IReadOnlyDictionary<string, string>? headers)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Json = json;
        Bytes = bytes;
        _write = write;
        Headers = headers ?? new Dictionary<string, string>();
    }

    public int StatusCode { get; }
    int? IStatusCodeHttpResult.StatusCode => StatusCode;
    public string? ContentType { get; }
    public object? Json { get; }
    public byte[]? Bytes { get; }
    public IReadOnlyDictionary<string, string> Headers { get; }
    object? IValueHttpResult.Value => Json ?? Bytes;

    /// <summary>The <c>error</c> of a JSON error body, else null.</summary>
    public string? Error => Json is DataError e ? e.Error : null;

    public static DataResult Ok(object value) => new(StatusCodes.Status200OK, JsonType, value, null, null, null);

    /// <summary>An error: <c>{"error": message}</c> on one line.</summary>
    public static DataResult Fail(int statusCode, string message) => new(statusCode, JsonType, new DataError(message), null, null, null);

    public static DataResult File(byte[] bytes, string contentType, IReadOnlyDictionary<string, string> headers) =>
        new(StatusCodes.Status200OK, contentType, null, bytes, null, headers);

    public static DataResult Stream(string contentType, Func<Stream, CancellationToken, Task> write, IReadOnlyDictionary<string, string> headers) =>
        new(StatusCodes.Status200OK, contentType, null, null, write, headers);

    /// <summary>304: the client's copy (its <c>If-None-Match</c>) is current.</summary>
    public static DataResult NotModified(IReadOnlyDictionary<string, string> headers) => new(StatusCodes.Status304NotModified, null, null, null, null, headers);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var ct = httpContext.RequestAborted;
        response.StatusCode = StatusCode;
        if (ContentType is not null) response.ContentType = ContentType;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        if (Json is not null)
        {
            // Errors are one line (a log or a terminal shows them whole); data is written compact, as the page reads it.
            await JsonSerializer.SerializeAsync(response.Body, Json, Json.GetType(), Json is DataError ? ErrorJson : DataJson, ct);
        }
        else if (Bytes is not null)
        {
            response.ContentLength = Bytes.Length;
            await response.Body.WriteAsync(Bytes, ct);
        }
        else if (_write is not null) await _write(response.Body, ct);
    }

    /// <summary>Writes the body alone (tests, and hosts that copy it themselves).</summary>
    public async Task WriteBodyAsync(Stream output, CancellationToken ct)
    {
        if (Json is not null) await JsonSerializer.SerializeAsync(output, Json, Json.GetType(), Json is DataError ? ErrorJson : DataJson, ct);
        else if (Bytes is not null) await output.WriteAsync(Bytes, ct);
        else if (_write is not null) await _write(output, ct);
    }

    public static readonly JsonSerializerOptions DataJson = new(StatusJson.Options) { WriteIndented = false };

    private static readonly JsonSerializerOptions ErrorJson = new(StatusJson.Options) { WriteIndented = false };

    /// <summary>The body of every error answer.</summary>
    public sealed record DataError(string Error);
}
