using System.Collections.Concurrent;
using FunctionsCrawler.Sandbox.Catalog;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FunctionsCrawler.Sandbox.Covers;

/// <summary>
/// Draws real JPEG covers: a gradient with a checker pattern derived from the playlist id and the cover's
/// version (a changed cover is another image), so every cover's bytes differ. Resized variants
/// (<c>?param=WxH</c>) are encoded separately and never equal the full-size bytes, which catches a crawler
/// that stores the thumbnail.
/// </summary>
internal sealed class CoverImages(int seed)
{
    private const int FullQuality = 90;
    private const int ResizedQuality = 75;
    // Enough for a large crawl's covers; past it the cache starts over (images are cheap to redraw, and identical).
    private const int CacheLimit = 4096;

    private readonly ConcurrentDictionary<(long Id, ImagePurpose Purpose, int Version, int Width, int Height), Lazy<byte[]>> _cache = new();

    public int FullSize(long id, ImagePurpose purpose, int version = 0) => purpose == ImagePurpose.Avatar
        ? 180
        : 300 + (int)(Hash("cover-size", id, null, version) % 301);

    public byte[] Full(long id, ImagePurpose purpose = ImagePurpose.Cover, int version = 0) => Get(id, purpose, version, 0, 0);

    /// <summary>The cover resized to at most width×height (clamped to the full size).</summary>
    public byte[] Resized(long id, ImagePurpose purpose, int width, int height, int version = 0)
    {
        var size = FullSize(id, purpose, version);
        return Get(id, purpose, version, Math.Clamp(width, 1, size), Math.Clamp(height, 1, size));
    }

    private byte[] Get(long id, ImagePurpose purpose, int version, int width, int height)
    {
        if (_cache.Count > CacheLimit)
            _cache.Clear();
        return _cache.GetOrAdd((id, purpose, version, width, height),
            key => new Lazy<byte[]>(() => Draw(key.Id, key.Purpose, key.Version, key.Width, key.Height))).Value;
    }

    private byte[] Draw(long id, ImagePurpose purpose, int version, int width, int height)
    {
        var size = FullSize(id, purpose, version);
        using var image = new Image<Rgb24>(size, size);
        Paint(image, Hash("cover-colours", id, purpose, version));
        using var output = new MemoryStream();
        if (width == 0)
        {
            image.SaveAsJpeg(output, new JpegEncoder { Quality = FullQuality });
        }
        else
        {
            image.Mutate(context => context.Resize(width, height));
            image.SaveAsJpeg(output, new JpegEncoder { Quality = ResizedQuality });
        }
        return output.ToArray();
    }

    private static void Paint(Image<Rgb24> image, ulong hash)
    {
        var from = new Rgb24((byte)hash, (byte)(hash >> 8), (byte)(hash >> 16));
        var to = new Rgb24((byte)(hash >> 24), (byte)(hash >> 32), (byte)(hash >> 40));
        var band = 12 + (int)((hash >> 48) % 40);
        var size = image.Width;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var t = (x + y) / (2.0 * size);
                    var lift = (x / band + y / band) % 2 == 0 ? 24 : 0;
                    row[x] = new Rgb24(Blend(from.R, to.R, t, lift), Blend(from.G, to.G, t, lift), Blend(from.B, to.B, t, lift));
                }
            }
        });
    }

    /// <summary>Version 0 hashes as before versions existed, so the day-0 covers keep their bytes.</summary>
    private ulong Hash(string what, long id, ImagePurpose? purpose, int version) => (purpose, version) switch
    {
        (null, 0) => StableHash.Of(seed, what, id),
        (null, _) => StableHash.Of(seed, what, id, version),
        (var shown, 0) => StableHash.Of(seed, what, id, (long)shown),
        (var shown, _) => StableHash.Of(seed, what, id, (long)shown, version),
    };

    private static byte Blend(byte from, byte to, double t, int lift) =>
        (byte)Math.Clamp((int)(from + (to - from) * t) + lift, 0, 255);
}
