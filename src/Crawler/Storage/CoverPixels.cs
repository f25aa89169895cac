using System.Buffers.Binary;
using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using ImageConfiguration = SixLabors.ImageSharp.Configuration;

namespace FunctionsCrawler.Storage;

/// <summary>
/// What decoding a cover would take, read from its header alone (no pixel is decoded). A small file can claim a huge
/// canvas — a GIF of 8,000×8,000 in about a hundred bytes, a PNG of one colour of 7,900×7,900 in 75 KB — and a decoder
/// gives every pixel 4 bytes, so a cover over <see cref="Budget"/> is neither stored (<c>Pipeline.FetchCover</c>) nor
/// decoded (<c>Data.CoverThumbnails</c>). <see cref="Decoding"/> is the one way covers are decoded.
/// </summary>
public static class CoverPixels
{
    /// <summary>
    /// 25 megapixels (5,000×5,000), about 17 times a usual 1,200×1,200 original: decoded as RGBA it is 100 MB, so the two
    /// decodes a process makes at once (<c>Data.CoverThumbnails.DecodesAtOnce</c>) hold about 200 MB of pixels at most.
    /// </summary>
    public const long Budget = 25_000_000;

    /// <summary>
    /// JPEG, PNG, GIF and WebP only (the types <see cref="CoverStore.ImageContentType"/> knows), the first frame of a GIF,
    /// no single buffer over 128 MiB (one budget's RGBA frame fits; a frame that lies about its size does not) and little
    /// memory kept pooled between decodes.
    /// </summary>
    public static ImageConfiguration Decoding { get; } = MakeDecoding();

    /// <summary>Null when the cover may be decoded; else why not, in a line: over the budget, or no header a decoder reads.</summary>
    public static string? Refusal(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        IImageInfo? info;
        try
        {
            info = Image.Identify(Decoding, image, out _);
        }
        catch (Exception e) when (e is ImageFormatException or InvalidMemoryOperationException or NotSupportedException or ArgumentException or IOException)
        {
            return $"cover's header cannot be read ({e.Message})";
        }
        if (info is null) return "cover is not a JPEG, PNG, GIF or WebP image a decoder reads";
        if (info.Width <= 0 || info.Height <= 0) return $"cover claims {info.Width}×{info.Height} px";
        var frames = FramesDecoded(image);
        var pixels = (long)info.Width * info.Height * frames;
        if (pixels <= Budget) return null;
        var size = string.Create(CultureInfo.InvariantCulture, $"{info.Width:N0}×{info.Height:N0} px");
        var perFrames = frames > 1 ? string.Create(CultureInfo.InvariantCulture, $" × {frames:N0} frames") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"cover is {size}{perFrames} ({pixels / 1e6:0.#} megapixels), over the {Budget / 1_000_000}-megapixel budget");
    }

    /// <summary>
    /// The frames a decode makes: one, but every frame of an animated WebP (ImageSharp 2.1 cannot stop a WebP decode
    /// after the first), counted from its <c>ANMF</c> chunks.
    /// </summary>
    internal static int FramesDecoded(ReadOnlySpan<byte> image)
    {
        if (CoverStore.ImageContentType(image) != "image/webp") return 1;
        var frames = 0;
        for (long at = 12; at + 8 <= image.Length;)
        {
            var chunk = image.Slice((int)at, 8);
            if (chunk[..4].SequenceEqual("ANMF"u8)) frames++;
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            at += 8L + size + (size & 1); // chunks are padded to an even length
        }
        return Math.Max(frames, 1);
    }

    private static ImageConfiguration MakeDecoding()
    {
        var decoding = new ImageConfiguration(new JpegConfigurationModule(), new PngConfigurationModule(), new GifConfigurationModule(), new WebpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = 128, MaximumPoolSizeMegabytes = 16 }),
        };
        decoding.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        return decoding;
    }
}
