using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FunctionsCrawler.NetEase;

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
/// Keeps each playlist's full-size cover once, as <c>covers/&lt;playlist_id&gt;.jpg</c>.
/// Page content is hostile: only allowed hosts are fetched, only real images are kept, sizes are capped.
/// </summary>
public sealed class CoverStore(StorageClients storage, NetEaseClient client)
{
    public const string Container = "covers";
    private const string ShaKey = "sha256";
    /// <summary>Longer than any real image URL; a longer one is hostile page content, not fetched.</summary>
    public const int MaxUrlLength = 2048;

    private readonly BlobContainerClient _container = storage.Blobs.GetBlobContainerClient(Container);

    public BlobContainerClient ContainerClient => _container;

    public static string BlobName(long playlistId) => $"{playlistId}.jpg";

    public Task EnsureCreatedAsync(CancellationToken ct) => _container.CreateIfNotExistsAsync(cancellationToken: ct);

    public async Task<CoverResult> StoreAsync(long playlistId, string? coverUrl, CancellationToken ct)
    {
        var blob = _container.GetBlobClient(BlobName(playlistId));
        var existing = await ExistingAsync(blob, ct);
        if (existing is not null) return new CoverResult(existing, null, false);

        if (string.IsNullOrWhiteSpace(coverUrl)) return new CoverResult(null, "playlist has no cover URL", false);
        if (coverUrl.Length > MaxUrlLength) return new CoverResult(null, $"cover URL is {coverUrl.Length:N0} characters, over the {MaxUrlLength:N0} allowed", false);
        if (!Uri.TryCreate(NetEaseUrls.FullSizeCover(coverUrl), UriKind.Absolute, out var url))
            return new CoverResult(null, $"cover URL is not absolute: '{Shorten(coverUrl)}'", false);
        if (!IsAllowedHost(url, client.BaseUri))
            return new CoverResult(null, $"cover host '{url.Host}' is not allowed", false);

        var download = await client.GetCoverAsync(url, ct);
        if (download.Blocked is { } blocked) return new CoverResult(null, null, true) { Blocked = blocked, RetryAfter = download.RetryAfter };
        var (bytes, contentType) = (download.Bytes, download.ContentType);
        if (bytes is null) return new CoverResult(null, download.Problem, true);
        if (!IsImage(bytes, contentType))
            return new CoverResult(null, $"cover is not an image (content type '{contentType}', {bytes.Length} bytes)", true);

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await blob.UploadAsync(BinaryData.FromBytes(bytes), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = ImageContentType(bytes) },
            Metadata = new Dictionary<string, string> { [ShaKey] = sha, ["source"] = url.GetLeftPart(UriPartial.Path) },
        }, ct);
        return new CoverResult(new StoredCover($"{Container}/{BlobName(playlistId)}", bytes.Length, sha), null, true);
    }

    private static async Task<StoredCover?> ExistingAsync(BlobClient blob, CancellationToken ct)
    {
        try
        {
            var props = await blob.GetPropertiesAsync(cancellationToken: ct);
            if (!props.Value.Metadata.TryGetValue(ShaKey, out var sha)) return null; // an upload cut short: redo it
            return new StoredCover($"{Container}/{blob.Name}", props.Value.ContentLength, sha);
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
