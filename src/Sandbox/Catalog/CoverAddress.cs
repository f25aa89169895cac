using System.Buffers.Binary;

namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>What a Sandbox image URL shows.</summary>
internal enum ImagePurpose : byte
{
    Cover = 0,
    Avatar = 1,
    /// <summary>A song's album picture (the id is the album's).</summary>
    Album = 2,
}

/// <summary>
/// Builds cover URLs shaped like the real CDN's (<c>/&lt;token&gt;==/&lt;imgId&gt;.jpg</c>) and reads
/// them back: the token carries the playlist id, the cover's version and a seeded check, so no lookup table
/// is needed. Version 0 is the day-0 cover; a playlist that changes its cover (the Day option) gets version
/// 1, 2, …: another image id, another token, another URL. A song's album picture is the same kind of URL, carrying the
/// album id instead of a playlist id (purpose <see cref="ImagePurpose.Album"/>).
/// </summary>
internal sealed class CoverAddress(int seed)
{
    public const string ForeignHost = "http://p1.not-allowed.invalid";

    // The token's 64 plain bits: version (12) | playlist id (44: every Sandbox id is below 2^44) | purpose (8).
    private const int IdBits = 44;
    private const int VersionShift = IdBits + 8;
    private const int MaxVersion = (1 << (64 - VersionShift)) - 1;

    public string Path(long playlistId, ImagePurpose purpose, int version = 0) =>
        $"/{Token(playlistId, purpose, version)}/{ImageId(playlistId, purpose, version)}.jpg";

    /// <summary>Image ids are 17–18 digits like the real ones (above 2^53, so they need 64-bit parsing).</summary>
    public long ImageId(long playlistId, ImagePurpose purpose, int version = 0)
    {
        var hash = version == 0
            ? StableHash.Of(seed, "image-id", playlistId, (long)purpose)
            : StableHash.Of(seed, "image-id", playlistId, (long)purpose, version);
        return hash % 5 < 3
            ? 109_951_160_000_000_000L + (long)(hash / 5 % 10_000_000_000UL)
            : 10_000_000_000_000_000L + (long)(hash / 5 % 9_000_000_000_000_000UL);
    }

    public bool TryRead(string token, string fileName, out long playlistId, out ImagePurpose purpose, out int version)
    {
        playlistId = 0;
        purpose = ImagePurpose.Cover;
        version = 0;
        if (token.Length != 24 || !token.EndsWith("==", StringComparison.Ordinal))
            return false;
        Span<byte> bytes = stackalloc byte[16];
        var base64 = token.Replace('-', '+').Replace('_', '/');
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != 16)
            return false;
        var scrambled = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        var plain = BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ Mask(scrambled);
        playlistId = (long)((plain >> 8) & ((1UL << IdBits) - 1));
        version = (int)(plain >> VersionShift);
        purpose = (ImagePurpose)(byte)plain;
        if (purpose is not (ImagePurpose.Cover or ImagePurpose.Avatar or ImagePurpose.Album) || playlistId <= 0)
            return false;
        return scrambled == Check(playlistId, purpose, version)
            && fileName == $"{ImageId(playlistId, purpose, version)}.jpg";
    }

    private string Token(long playlistId, ImagePurpose purpose, int version)
    {
        Span<byte> bytes = stackalloc byte[16];
        Fill(bytes, playlistId, purpose, version);
        // Base64 of 16 bytes ends in "==" like the real tokens; '+' and '/' are swapped so the token is one path segment.
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// Bytes 8..15 are a seeded check of (id, purpose); bytes 0..7 are (id, purpose) masked by a hash of
    /// the check, so tokens look random like the real ones yet decode back to the id.
    /// </summary>
    private void Fill(Span<byte> bytes, long playlistId, ImagePurpose purpose, int version)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(playlistId, 1L << IdBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, MaxVersion);
        var check = Check(playlistId, purpose, version);
        var plain = ((ulong)version << VersionShift) | ((ulong)playlistId << 8) | (byte)purpose;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, plain ^ Mask(check));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], check);
    }

    private ulong Check(long playlistId, ImagePurpose purpose, int version) => version == 0
        ? StableHash.Of(seed, "cover-token", playlistId, (long)purpose)
        : StableHash.Of(seed, "cover-token", playlistId, (long)purpose, version);

    private ulong Mask(ulong check) => StableHash.Of(seed, "cover-mask", (long)check);
}
