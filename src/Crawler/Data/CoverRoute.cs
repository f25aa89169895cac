using FunctionsCrawler.Api;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FunctionsCrawler.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Processing;

namespace FunctionsCrawler.Data;

/// <summary>
/// <c>GET /api/covers/{playlistId}.jpg[?size=thumb]</c>: a stored cover of a playlist of the dataset (a row in
/// <c>Playlists</c> must exist), with the content type it was stored with, an ETag and a day of public caching.
/// <c>size=thumb</c> is a JPEG at most <see cref="ThumbnailSize"/> px on its longer side, made once from the cover and
/// stored beside it as <c>covers/&lt;id&gt;.thumb.jpg</c> with the sha256 of the cover it was made from; a cover replaced
/// since (its source changed) gets a new thumbnail at the next request.
/// </summary>
public sealed class CoverRoute(CoverStore covers, ILogger<CoverRoute> log)
{
    public const int ThumbnailSize = 160;
    /// <summary>A cover wider or taller than this is not decoded (a small file can claim a huge canvas): it has no thumbnail.</summary>
    public const int MaxDecodeSide = 8_000;
    public const string CacheControl = "public, max-age=86400";

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
        // Only a cover the crawler stored for a playlist it recorded carries its sha256: any other blob or id is a 404 below.

        var found = thumb.Value ? await ThumbnailAsync(id, ct)
            : await DownloadAsync(covers.ContainerClient.GetBlobClient(CoverStore.BlobName(id)), ct, crawled: true);
        if (found is not { } cover) return ApiResult.Fail(StatusCodes.Status404NotFound, $"Playlist {id} has no stored cover.");

        var etag = cover.ETag.ToString("H");
        var headers = new Dictionary<string, string> { ["Cache-Control"] = CacheControl, ["ETag"] = etag };
        if (ifNoneMatch is not null && ifNoneMatch.Split(',').Select(t => t.Trim()).Any(t => t == etag || t == "*"))
            return ApiResult.NotModified(headers);
        return ApiResult.File(cover.Bytes, cover.ContentType, headers);
    }

    private sealed record Found(byte[] Bytes, string ContentType, ETag ETag, IDictionary<string, string> Metadata);

    /// <summary>The stored thumbnail if it was made from the cover stored now; else a new one, made and stored.</summary>
    private async Task<Found?> ThumbnailAsync(long id, CancellationToken ct)
    {
        string? coverSha;
        try
        {
            var props = await covers.ContainerClient.GetBlobClient(CoverStore.BlobName(id)).GetPropertiesAsync(cancellationToken: ct);
            if (!props.Value.Metadata.TryGetValue(CoverStore.ShaKey, out coverSha)) return null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        var thumbBlob = covers.ContainerClient.GetBlobClient(ThumbnailBlobName(id));
        var stored = await DownloadAsync(thumbBlob, ct);
        if (stored is not null && stored.Metadata.TryGetValue(MadeFromKey, out var madeFrom) && madeFrom == coverSha) return stored;
        return await MakeThumbnailAsync(id, thumbBlob, stored?.ETag, ct);
    }

    /// <param name="crawled">only a blob the crawler stored (with its sha256 metadata); thumbnails are made from one</param>
    private static async Task<Found?> DownloadAsync(BlobClient blob, CancellationToken ct, bool crawled = false)
    {
        try
        {
            var content = (await blob.DownloadContentAsync(ct)).Value;
            if (crawled && !content.Details.Metadata.ContainsKey(CoverStore.ShaKey)) return null;
            var bytes = content.Content.ToArray();
            // Covers are stored with their real type; a blob without one is typed from its bytes.
            var type = content.Details.ContentType is { Length: > 0 } t && t.StartsWith("image/", StringComparison.Ordinal) ? t
                : CoverStore.ImageContentType(bytes) ?? "application/octet-stream";
            return new Found(bytes, type, content.Details.ETag, content.Details.Metadata);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Makes the thumbnail from the stored cover and stores it only if the stored one is still <paramref name="replacing"/>
    /// (none, or one made from an older cover): a concurrent request that stored one first wins, and this one serves that
    /// one, so it is made and stored once per cover.
    /// </summary>
    private async Task<Found?> MakeThumbnailAsync(long id, BlobClient thumbBlob, ETag? replacing, CancellationToken ct)
    {
        if (await DownloadAsync(covers.ContainerClient.GetBlobClient(CoverStore.BlobName(id)), ct, crawled: true) is not { } original) return null;
        byte[] jpeg;
        try
        {
            jpeg = Thumbnail(original.Bytes);
        }
        catch (Exception e) when (e is ImageFormatException or UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            log.LogWarning("Playlist {PlaylistId}: no thumbnail, the cover could not be decoded ({Problem}); serving the cover", id, e.Message);
            return original;
        }
        try
        {
            await thumbBlob.UploadAsync(BinaryData.FromBytes(jpeg), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" },
                Metadata = new Dictionary<string, string> { [MadeFromKey] = original.Metadata[CoverStore.ShaKey] },
                Conditions = replacing is { } old ? new BlobRequestConditions { IfMatch = old } : new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, ct);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another request stored it first: serve that one.
        }
        return await DownloadAsync(thumbBlob, ct);
    }

    /// <summary>A JPEG of the image, at most <see cref="ThumbnailSize"/> px on its longer side (never enlarged).</summary>
    public static byte[] Thumbnail(byte[] image)
    {
        var info = Image.Identify(image) ?? throw new UnknownImageFormatException("not a known image format");
        if (info.Width > MaxDecodeSide || info.Height > MaxDecodeSide)
            throw new NotSupportedException($"{info.Width}×{info.Height} px is over the {MaxDecodeSide} px decoded for a thumbnail");
        using var decoded = Image.Load(image);
        decoded.Mutate(x =>
        {
            if (decoded.Width > ThumbnailSize || decoded.Height > ThumbnailSize)
                x.Resize(new ResizeOptions { Size = new Size(ThumbnailSize, ThumbnailSize), Mode = ResizeMode.Max });
            x.BackgroundColor(Color.White); // JPEG has no alpha: transparent parts become white, not black
        });
        using var output = new MemoryStream();
        decoded.SaveAsJpeg(output, new JpegEncoder { Quality = 80 });
        return output.ToArray();
    }
}
