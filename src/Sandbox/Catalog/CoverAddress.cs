using System.Buffers.Binary;

namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>What a Sandbox image URL shows.</summary>
internal enum ImagePurpose : byte
{
    Cover = 0,
    Avatar = 1,
}

/// <summary>
/// Builds cover URLs shaped like the real CDN's (<c>/&lt;token&gt;==/&lt;imgId&gt;.jpg</c>) and reads
/// them back: the token carries the playlist id and a seeded check, so no lookup table is needed.
/// </summary>
internal sealed class CoverAddress(int seed)
{
    public const string ForeignHost = "http://p1.not-allowed.invalid";

    public string Path(long playlistId, ImagePurpose purpose) =>
        $"/{Token(playlistId, purpose)}/{ImageId(playlistId, purpose)}.jpg";

    /// <summary>Image ids are 17–18 digits like the real ones (above 2^53, so they need 64-bit parsing).</summary>
    public long ImageId(long playlistId, ImagePurpose purpose)
    {
        var hash = StableHash.Of(seed, "image-id", playlistId, (long)purpose);
        return hash % 5 < 3
            ? 109_951_160_000_000_000L + (long)(hash / 5 % 10_000_000_000UL)
            : 10_000_000_000_000_000L + (long)(hash / 5 % 9_000_000_000_000_000UL);
    }

    public bool TryRead(string token, string fileName, out long playlistId, out ImagePurpose purpose)
    {
        playlistId = 0;
        purpose = ImagePurpose.Cover;
        if (token.Length != 24 || !token.EndsWith("==", StringComparison.Ordinal))
            return false;
        Span<byte> bytes = stackalloc byte[16];
        var base64 = token.Replace('-', '+').Replace('_', '/');
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != 16)
            return false;
        var scrambled = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        var plain = BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ Mask(scrambled);
        playlistId = (long)(plain >> 8);
        purpose = (ImagePurpose)(byte)plain;
        if (purpose is not (ImagePurpose.Cover or ImagePurpose.Avatar) || playlistId <= 0)
            return false;
        return scrambled == Check(playlistId, purpose)
            && fileName == $"{ImageId(playlistId, purpose)}.jpg";
    }

    private string Token(long playlistId, ImagePurpose purpose)
    {
        Span<byte> bytes = stackalloc byte[16];
        Fill(bytes, playlistId, purpose);
        // Base64 of 16 bytes ends in "==" like the real tokens; '+' and '/' are swapped so the token is one path segment.
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// Bytes 8..15 are a seeded check of (id, purpose); bytes 0..7 are (id, purpose) masked by a hash of
    /// the check, so tokens look random like the real ones yet decode back to the id.
    /// </summary>
    private void Fill(Span<byte> bytes, long playlistId, ImagePurpose purpose)
    {
        var check = Check(playlistId, purpose);
        var plain = ((ulong)playlistId << 8) | (byte)purpose;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, plain ^ Mask(check));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], check);
    }

    private ulong Check(long playlistId, ImagePurpose purpose) => StableHash.Of(seed, "cover-token", playlistId, (long)purpose);

    private ulong Mask(ulong check) => StableHash.Of(seed, "cover-mask", (long)check);
}
