using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FunctionsCrawler.NetEase;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Storage;

/// <summary>A cover as stored: blob path, size and SHA-256 of the bytes.</summary>
public sealed record StoredCover(string Blob, long Bytes, string Sha256);

/// <summary>
/// The outcome of storing a cover: the stored cover, or why there is none; <see cref="Blocked"/> when the
/// image host pushed back (the playlist is then tried again after the pause, not recorded without its cover).
/// </summary>
public sealed record CoverResult(StoredCover? Cover, string? Problem, bool Downloaded)
{
    public string? Blocked { get; init; }
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>
/// Keeps each playlist's full-size cover once, as <c>covers/&lt;playlist_id&gt;.jpg</c>, with the URL it came from in
/// its metadata (<c>source</c>): a cover asked for again from the same source is not fetched again; from a changed
/// source it is, and the new image replaces the old one only when it is valid (else the old cover stays).
/// Page content is hostile: only allowed hosts are fetched, only real images are kept, sizes are capped.
/// </summary>
public sealed class CoverStore(StorageClients storage, NetEaseClient client, ILogger<CoverStore> log)
{
    public const string Container = "covers";
    /// <summary>Metadata every cover the crawler stored carries (a blob without it is not one of the dataset's covers).</summary>
    public const string ShaKey = "sha256";
    private const string SourceKey = "source";
    /// <summary>Longer than any real image URL; a longer one is hostile page content, not fetched.</summary>
    public const int MaxUrlLength = 2048;

    private readonly BlobContainerClient _container = storage.Blobs.GetBlobContainerClient(Container);

    public BlobContainerClient ContainerClient => _container;

    public static string BlobName(long playlistId) => $"{playlistId}.jpg";

    public Task EnsureCreatedAsync(CancellationToken ct) => _container.CreateIfNotExistsAsync(cancellationToken: ct);

    /// <summary>
    /// Stores the playlist's cover unless the stored one came from the same source. <paramref name="probe"/> false says no
    /// cover is expected (the category's first lookups in this crawl found none): the stored cover is not looked up first, the upload is
    /// conditional instead, and only a cover found stored after all (the id was crawled under another category) is looked at.
    /// </summary>
    public async Task<CoverResult> StoreAsync(long playlistId, string? coverUrl, CancellationToken ct, bool probe = true)
    {
        var blob = _container.GetBlobClient(BlobName(playlistId));
        var existing = probe ? await ExistingAsync(blob, ct) : null;
        var (url, problem) = CoverUri(coverUrl);
        if (existing is { } kept)
        {
            if (url is null)
            {
                log.LogWarning("Playlist {PlaylistId}: {Problem}; keeping the stored cover", playlistId, problem);
                return new CoverResult(kept.Cover, null, false);
            }
            if (SameSource(kept.Source, url)) return new CoverResult(kept.Cover, null, false);
        }
        if (url is null) return new CoverResult(null, problem, false);

        CoverDownload download;
        try
        {
            download = await client.GetCoverAsync(url, ct);
        }
        catch (SiteFetchException e) when (existing is not null && !ct.IsCancellationRequested)
        {
            // Without a stored cover the queue retries the playlist; with one, the row keeps it and the next crawl tries again.
            download = new CoverDownload(null, null, e.Message);
        }
        // A block pauses the crawl and the playlist is tried again after it, whether or not an older cover is stored.
        if (download.Blocked is { } blocked) return new CoverResult(existing?.Cover, null, true) { Blocked = blocked, RetryAfter = download.RetryAfter };
        var (bytes, contentType) = (download.Bytes, download.ContentType);
        var refused = bytes is null ? download.Problem
            : !IsImage(bytes, contentType) ? $"cover is not an image (content type '{contentType}', {bytes.Length} bytes)"
            : null;
        if (refused is not null || bytes is null)
        {
            if (existing is null) return new CoverResult(null, refused, true);
            log.LogWarning("Playlist {PlaylistId}: the cover moved from {OldSource} to {NewSource}, but the new one was not stored ({Problem}); keeping the stored cover",
                playlistId, existing.Source, Source(url), refused);
            return new CoverResult(existing.Cover, null, true);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var upload = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = ImageContentType(bytes) },
            Metadata = new Dictionary<string, string> { [ShaKey] = sha, [SourceKey] = Source(url) },
            Conditions = probe ? null : new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(bytes), upload, ct);
        }
        catch (RequestFailedException e) when (!probe && e.Status == 409)
        {
            // Stored after all: the same image stays as it is; a different one is replaced, as after a probe.
            existing = await ExistingAsync(blob, ct);
            if (existing is not null && SameSource(existing.Source, url)) return new CoverResult(existing.Cover, null, true);
            upload.Conditions = null;
            await blob.UploadAsync(BinaryData.FromBytes(bytes), upload, ct);
        }
        if (existing is not null)
            log.LogInformation("Playlist {PlaylistId}: cover replaced, its source moved from {OldSource} to {NewSource}", playlistId, existing.Source, Source(url));
        return new CoverResult(new StoredCover($"{Container}/{BlobName(playlistId)}", bytes.Length, sha), null, true);
    }

    /// <summary>The full-size cover URL to fetch, or why there is none.</summary>
    private (Uri? Url, string? Problem) CoverUri(string? coverUrl)
    {
        if (string.IsNullOrWhiteSpace(coverUrl)) return (null, "playlist has no cover URL");
        if (coverUrl.Length > MaxUrlLength) return (null, $"cover URL is {coverUrl.Length:N0} characters, over the {MaxUrlLength:N0} allowed");
        if (!Uri.TryCreate(NetEaseUrls.FullSizeCover(coverUrl), UriKind.Absolute, out var url))
            return (null, $"cover URL is not absolute: '{Shorten(coverUrl)}'");
        if (!IsAllowedHost(url, client.BaseUri)) return (null, $"cover host '{url.Host}' is not allowed");
        return (url, null);
    }

    /// <summary>What is kept as a cover's <c>source</c>: the full-size URL without query or fragment.</summary>
    public static string Source(Uri fullSizeUrl) => fullSizeUrl.GetLeftPart(UriPartial.Path);

    /// <summary>
    /// Whether a stored <c>source</c> and a full-size cover URL name the same image. The image CDN serves one image from
    /// p1…p4.music.126.net, over http or https, so there only the path counts; elsewhere the whole URL up to its path.
    /// An unknown source (a cover stored without one) is never the same: it is fetched again once.
    /// </summary>
    public static bool SameSource(string? storedSource, Uri fullSizeUrl)
    {
        if (string.IsNullOrEmpty(storedSource) || !Uri.TryCreate(storedSource, UriKind.Absolute, out var stored)) return false;
        if (IsImageCdn(stored) && IsImageCdn(fullSizeUrl))
            return string.Equals(stored.AbsolutePath, fullSizeUrl.AbsolutePath, StringComparison.Ordinal);
        return string.Equals(Source(stored), Source(fullSizeUrl), StringComparison.Ordinal);
    }

    private static bool IsImageCdn(Uri url) => url.Host.EndsWith(CoverHosts.ImageCdnSuffix, StringComparison.OrdinalIgnoreCase);

    private sealed record Existing(StoredCover Cover, string? Source);

    private static async Task<Existing?> ExistingAsync(BlobClient blob, CancellationToken ct)
    {
        try
        {
            var props = await blob.GetPropertiesAsync(cancellationToken: ct);
            if (!props.Value.Metadata.TryGetValue(ShaKey, out var sha)) return null; // an upload cut short: redo it
            return new Existing(new StoredCover($"{Container}/{blob.Name}", props.Value.ContentLength, sha), props.Value.Metadata.TryGetValue(SourceKey, out var source) ? source : null);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Covers come from NetEase's image CDN (<c>*.music.126.net</c>) or the configured site host.</summary>
    public static bool IsAllowedHost(Uri url, Uri siteBase) => CoverHosts.IsAllowed(url, siteBase);

    /// <summary>The declared type must be an image and the bytes must start like one (JPEG, PNG, GIF or WebP).</summary>
    public static bool IsImage(ReadOnlySpan<byte> bytes, string? contentType) =>
        contentType is not null && contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
        && ImageContentType(bytes) is not null;

    public static string? ImageContentType(ReadOnlySpan<byte> b) =>
        b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.Length >= 8 && b[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }) ? "image/png"
        : b.Length >= 6 && (b[..6].SequenceEqual("GIF87a"u8) || b[..6].SequenceEqual("GIF89a"u8)) ? "image/gif"
        : b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : null;

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
