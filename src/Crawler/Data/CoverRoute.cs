using FunctionsCrawler.Api;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FunctionsCrawler.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Data;

/// <summary>
/// <c>GET /api/covers/{playlistId}.jpg[?size=thumb]</c>: a cover the crawler stored (a blob carrying its sha256) for a
/// playlist id, a whole number above 0, served as the JPEG, PNG, GIF or WebP image its bytes are — anything else stored is
/// refused — with an ETag, a day of private caching and headers that keep a browser from running anything in it.
/// <c>size=thumb</c> is a JPEG at most <see cref="CoverThumbnails.Size"/> px on its longer side, made once from the cover
/// (<see cref="CoverThumbnails"/>) and stored beside it as <c>covers/&lt;id&gt;.thumb.jpg</c> with the sha256 of the cover
/// it was made from; a cover replaced since (its source changed) gets a new thumbnail at the next request, and a cover that
/// gives none (over the pixel budget, not decodable) is a 404.
/// </summary>
public sealed class CoverRoute(CoverStore covers, CoverThumbnails thumbnails, ILogger<CoverRoute> log)
{
    /// <summary>The covers are the dataset's and on Azure the route takes a function key: a browser may keep them, a shared cache may not.</summary>
    public const string CacheControl = "private, max-age=86400";

    /// <summary>The browser takes the type as sent (no sniffing a script out of the bytes) and runs and loads nothing from it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Hardening = new Dictionary<string, string>
    {
        ["X-Content-Type-Options"] = "nosniff",
        ["Content-Security-Policy"] = "default-src 'none'",
    };

    public static string ThumbnailBlobName(long playlistId) => $"{playlistId}.thumb.jpg";

    /// <summary>Metadata of a thumbnail: the <see cref="CoverStore.ShaKey"/> of the cover it was made from.</summary>
    public const string MadeFromKey = "madefrom";

    /// <param name="file">the last route segment, <c>&lt;playlistId&gt;.jpg</c></param>
    /// <param name="size">null (the cover) or <c>thumb</c></param>
    /// <param name="ifNoneMatch">the request's <c>If-None-Match</c>: 304 when it names the current ETag</param>
    public Task<ApiResult> GetAsync(string file, string? size, string? ifNoneMatch, CancellationToken ct) =>
        RouteGuard.RunAsync(() => ServeAsync(file, size, ifNoneMatch, ct), log, ct);

    private async Task<ApiResult> ServeAsync(string file, string? size, string? ifNoneMatch, CancellationToken ct)
    {
        var idText = file.EndsWith(".jpg", StringComparison.Ordinal) ? file[..^4] : file;
        if (!PlaylistBrowser.TryParseId(idText, out var id) || !file.EndsWith(".jpg", StringComparison.Ordinal)) return PlaylistBrowser.NotInDataset(idText);
        var thumb = size switch
        {
            null or "" => false,
            "thumb" => true,
            _ => (bool?)null,
        };
        if (thumb is null) return ApiResult.Fail(StatusCodes.Status400BadRequest, "size must be thumb, or left out for the full cover.");
        // Only a cover the crawler stored as it fetched a playlist carries its sha256: any other blob or id is a 404 below.

        var (cover, problem) = thumb.Value ? await ThumbnailAsync(id, ct) : await CoverAsync(id, ct);
        if (cover is null) return ApiResult.Fail(StatusCodes.Status404NotFound, problem ?? $"Playlist {id} has no stored cover.");

        var etag = cover.ETag.ToString("H");
        var headers = new Dictionary<string, string>(Hardening) { ["Cache-Control"] = CacheControl, ["ETag"] = etag };
        if (ifNoneMatch is not null && ifNoneMatch.Split(',').Select(t => t.Trim()).Any(t => t == etag || t == "*"))
            return ApiResult.NotModified(headers);
        return ApiResult.File(cover.Bytes, cover.ContentType, headers);
    }

    /// <summary>An image as stored, with the type it is served as.</summary>
    private sealed record Found(byte[] Bytes, string ContentType, ETag ETag, IDictionary<string, string> Metadata);

    /// <summary>What a request gets: the image, or (when null) the one-line reason of the 404.</summary>
    private readonly record struct Answer(Found? Image, string? Problem);

    private async Task<Answer> CoverAsync(long id, CancellationToken ct)
    {
        var blob = await DownloadAsync(covers.ContainerClient.GetBlobClient(CoverStore.BlobName(id)), ct);
        if (blob is null || !blob.Details.Metadata.ContainsKey(CoverStore.ShaKey)) return default;
        return Served(id, blob);
    }

    /// <summary>The stored thumbnail if it was made from the cover stored now; else a new one, made and stored.</summary>
    private async Task<Answer> ThumbnailAsync(long id, CancellationToken ct)
    {
        string? coverSha;
        try
        {
            var props = await covers.ContainerClient.GetBlobClient(CoverStore.BlobName(id)).GetPropertiesAsync(cancellationToken: ct);
            if (!props.Value.Metadata.TryGetValue(CoverStore.ShaKey, out coverSha)) return default;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return default;
        }
        // A cover that gave no thumbnail before is neither read nor decoded again (a gallery shows it at every load).
        if (thumbnails.FailureOf(coverSha) is { } failed) return new Answer(null, NoThumbnail(id, failed));
        var thumbBlob = covers.ContainerClient.GetBlobClient(ThumbnailBlobName(id));
        var stored = await DownloadAsync(thumbBlob, ct);
        if (stored is not null && stored.Details.Metadata.TryGetValue(MadeFromKey, out var madeFrom) && madeFrom == coverSha) return Served(id, stored);
        return await MakeThumbnailAsync(id, thumbBlob, stored?.Details.ETag, ct);
    }

    /// <summary>
    /// Makes the thumbnail from the stored cover and stores it only if the stored one is still <paramref name="replacing"/>
    /// (none, or one made from an older cover): a concurrent request that stored one first wins, and this one serves that
    /// one, so it is made and stored once per cover.
    /// </summary>
    private async Task<Answer> MakeThumbnailAsync(long id, BlobClient thumbBlob, ETag? replacing, CancellationToken ct)
    {
        var blob = await DownloadAsync(covers.ContainerClient.GetBlobClient(CoverStore.BlobName(id)), ct);
        if (blob is null || !blob.Details.Metadata.TryGetValue(CoverStore.ShaKey, out var coverSha)) return default;
        var original = Served(id, blob);
        if (original.Image is null) return original;
        var made = await thumbnails.MakeAsync(coverSha, original.Image.Bytes, ct);
        if (made.Jpeg is not { } jpeg)
        {
            log.LogWarning("Playlist {PlaylistId}: no thumbnail, {Problem}; answering 404 until the cover changes", id, made.Problem);
            return new Answer(null, NoThumbnail(id, made.Problem!));
        }
        try
        {
            await thumbBlob.UploadAsync(BinaryData.FromBytes(jpeg), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" },
                Metadata = new Dictionary<string, string> { [MadeFromKey] = coverSha },
                Conditions = replacing is { } old ? new BlobRequestConditions { IfMatch = old } : new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, ct);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another request stored it first: serve that one.
        }
        return await DownloadAsync(thumbBlob, ct) is { } thumbnail ? Served(id, thumbnail) : default;
    }

    private static string NoThumbnail(long id, string problem) => $"Playlist {id}'s cover has no thumbnail: {problem}.";

    private static async Task<BlobDownloadResult?> DownloadAsync(BlobClient blob, CancellationToken ct)
    {
        try
        {
            return (await blob.DownloadContentAsync(ct)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The blob as it is served (<see cref="TypeToServe"/>); refused with one warning line when it cannot be.</summary>
    private Answer Served(long id, BlobDownloadResult blob)
    {
        var bytes = blob.Content.ToArray();
        var (type, problem) = TypeToServe(bytes, blob.Details.ContentType);
        if (type is not null) return new Answer(new Found(bytes, type, blob.Details.ETag, blob.Details.Metadata), null);
        log.LogWarning("Playlist {PlaylistId}: the stored cover is not served, {Problem}", id, problem);
        return new Answer(null, $"Playlist {id}'s stored cover is not served: {problem}.");
    }

    /// <summary>
    /// The type a stored blob is served as: the one its bytes are, which must be JPEG, PNG, GIF or WebP; none (and why)
    /// when they are not one, or when the blob was stored as another type (an <c>image/svg+xml</c> would run script on
    /// this origin). A blob stored without a type is typed from its bytes.
    /// </summary>
    public static (string? Type, string? Problem) TypeToServe(ReadOnlySpan<byte> bytes, string? storedType)
    {
        var sniffed = CoverStore.ImageContentType(bytes);
        if (sniffed is null) return (null, $"its {bytes.Length:N0} bytes are not a JPEG, PNG, GIF or WebP image");
        var stored = (storedType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (!ServableStoredTypes.Contains(stored)) return (null, $"it is stored as '{PlaylistQuery.Shorten(stored)}', not as a JPEG, PNG, GIF or WebP image");
        return (sniffed, null);
    }

    /// <summary>What a served blob may be stored as: one of the four image types, or no type at all (its bytes say).</summary>
    private static readonly HashSet<string> ServableStoredTypes = new(StringComparer.Ordinal)
    {
        "", "application/octet-stream", "image/jpeg", "image/png", "image/gif", "image/webp",
    };
}
