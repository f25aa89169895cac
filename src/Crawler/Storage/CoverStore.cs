using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FunctionsCrawler.NetEase;

namespace FunctionsCrawler.Storage;

/// <summary>A cover as stored: blob path, size and SHA-256 of the bytes.</summary>
public sealed record StoredCover(string Blob, long Bytes, string Sha256);

/// <summary>A cover as it is stored, and the URL it came from (null when stored without one).</summary>
public sealed record StoredCoverInfo(StoredCover Cover, string? Source);

/// <summary>
/// Keeps each playlist's full-size cover once, as <c>covers/&lt;playlist_id&gt;.jpg</c>, with the URL it came from in
/// its metadata (<c>source</c>). It stores and tells what it has stored (<see cref="PersistAsync"/>, <see cref="StatAsync"/>);
/// what to download and whether to replace is the cover step's business (<c>Pipeline.FetchCover</c>).
/// </summary>
public sealed class CoverStore(StorageClients storage)
{
    public const string Container = "covers";
    /// <summary>Metadata every cover the crawler stored carries (a blob without it is not one of the dataset's covers).</summary>
    public const string ShaKey = "sha256";
    private const string SourceKey = "source";

    private readonly BlobContainerClient _container = storage.Blobs.GetBlobContainerClient(Container);

    public BlobContainerClient ContainerClient => _container;

    public static string BlobName(long playlistId) => $"{playlistId}.jpg";

    public Task EnsureCreatedAsync(CancellationToken ct) => _container.CreateIfNotExistsAsync(cancellationToken: ct);

    /// <summary>The playlist's stored cover and its source, or null when none is stored (or an upload was cut short).</summary>
    public async Task<StoredCoverInfo?> StatAsync(long playlistId, CancellationToken ct)
    {
        var blob = _container.GetBlobClient(BlobName(playlistId));
        try
        {
            var props = await blob.GetPropertiesAsync(cancellationToken: ct);
            if (!props.Value.Metadata.TryGetValue(ShaKey, out var sha)) return null; // an upload cut short: redo it
            return new StoredCoverInfo(new StoredCover($"{Container}/{blob.Name}", props.Value.ContentLength, sha),
                props.Value.Metadata.TryGetValue(SourceKey, out var source) ? source : null);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Stores (or replaces) the playlist's cover: an image already checked, and the URL it came from. With
    /// <paramref name="onlyIfAbsent"/> the write is conditional: null when a cover is stored already (nothing written).
    /// </summary>
    public async Task<StoredCover?> PersistAsync(long playlistId, byte[] image, Uri fullSizeUrl, CancellationToken ct, bool onlyIfAbsent = false)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(image));
        try
        {
            await _container.GetBlobClient(BlobName(playlistId)).UploadAsync(BinaryData.FromBytes(image), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = ImageContentType(image) },
                Metadata = new Dictionary<string, string> { [ShaKey] = sha, [SourceKey] = Source(fullSizeUrl) },
                Conditions = onlyIfAbsent ? new BlobRequestConditions { IfNoneMatch = ETag.All } : null,
            }, ct);
        }
        catch (RequestFailedException e) when (onlyIfAbsent && e.Status == 409)
        {
            return null;
        }
        return new StoredCover($"{Container}/{BlobName(playlistId)}", image.Length, sha);
    }

    /// <summary>What is kept as a cover's <c>source</c>: the URL up to its path, with the CDN resize it asked for (<see cref="NetEaseUrls.CoverSource"/>).</summary>
    public static string Source(Uri url) => NetEaseUrls.CoverSource(url);

    /// <summary>Whether a stored <c>source</c> and a cover URL name the same image at the same size (<see cref="NetEaseUrls.SameCover"/>).</summary>
    public static bool SameSource(string? storedSource, Uri url) => NetEaseUrls.SameCover(storedSource, url);

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
}
