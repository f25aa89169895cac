using System.Buffers.Binary;
using System.IO.Compression;

namespace FunctionsCrawler.Sandbox.Faults;

/// <summary>
/// Covers that are decompression bombs: small files that pass an "is it an image" sniff (their type and first bytes are
/// an image's) but claim a canvas that a decoder turns into hundreds of megabytes. Written byte by byte, never drawn, so
/// the Sandbox itself never holds the bitmap; the same bytes every time.
/// </summary>
public static class CoverBomb
{
    public const string GifType = "image/gif";
    public const string PngType = "image/png";

    /// <summary>The GIF's canvas side, in pixels (its frames are one pixel each).</summary>
    public const int GifSide = 8000;

    /// <summary>The GIF's frames: a decoder that renders every frame at canvas size makes this many 8000×8000 bitmaps.</summary>
    public const int GifFrames = 4;

    /// <summary>The PNG's side, in pixels: one grey, 8 bits a pixel.</summary>
    public const int PngSide = 7900;

    /// <summary>A GIF89a of <see cref="GifSide"/>² with <see cref="GifFrames"/> one-pixel frames: about a hundred bytes, 256 MB a frame as RGBA.</summary>
    public static byte[] Gif { get; } = GifOf(GifSide, GifSide, GifFrames);

    private static readonly Lazy<byte[]> PngBytes = new(() => PngOf(PngSide));

    /// <summary>A PNG of <see cref="PngSide"/>² in one grey: about 75 KB, 250 MB as RGBA. Compressed once (about 0.3 s), then cached.</summary>
    public static byte[] Png => PngBytes.Value;

    /// <summary>A GIF89a of a <paramref name="width"/>×<paramref name="height"/> canvas with <paramref name="frames"/> one-pixel frames.</summary>
    public static byte[] GifOf(int width, int height, int frames)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        WriteUInt16(gif, width);
        WriteUInt16(gif, height);
        gif.Write([0x80, 0, 0]); // a global colour table of two colours, background 0, no aspect ratio
        gif.Write([0, 0, 0, 255, 255, 255]);
        for (var frame = 0; frame < frames; frame++)
        {
            gif.Write([0x21, 0xF9, 4, 0, 10, 0, 0, 0]); // graphic control: 0.1 s a frame
            gif.WriteByte(0x2C); // image descriptor: at (0, 0), 1×1, no local colour table
            WriteUInt16(gif, 0);
            WriteUInt16(gif, 0);
            WriteUInt16(gif, 1);
            WriteUInt16(gif, 1);
            gif.WriteByte(0);
            gif.Write([2, 2, 0x44, 1, 0]); // LZW of one pixel of colour 0: clear, 0, end
        }
        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    /// <summary>An 8-bit grey PNG of <paramref name="side"/>² in one grey.</summary>
    public static byte[] PngOf(int side)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, side);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
        header[8] = 8; // bits per sample; colour type 0 (grey), deflate, no filter, not interlaced
        WriteChunk(png, "IHDR"u8, header);
        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[side + 1]; // filter 0, then the row's greys
            row.AsSpan(1).Fill(0x80);
            for (var y = 0; y < side; y++)
                zlib.Write(row);
        }
        WriteChunk(png, "IDAT"u8, pixels.ToArray());
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    /// <summary>A WebP's RIFF with a VP8X header and <paramref name="frames"/> (empty) ANMF chunks: what a frame count reads.</summary>
    public static byte[] AnimatedWebp(int frames)
    {
        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        body.Write("VP8X"u8);
        body.Write([10, 0, 0, 0, 0x02, 0, 0, 0, 0xFF, 0x03, 0, 0xFF, 0x03, 0]); // animation flag, a 1024×1024 canvas
        body.Write("ANIM"u8);
        body.Write([6, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        for (var frame = 0; frame < frames; frame++)
        {
            body.Write("ANMF"u8);
            body.Write([17, 0, 0, 0]); // an odd size: the chunk is padded to an even length
            body.Write(new byte[18]);
        }
        using var riff = new MemoryStream();
        riff.Write("RIFF"u8);
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, (int)body.Length);
        riff.Write(size);
        riff.Write(body.ToArray());
        return riff.ToArray();
    }

    private static void WriteUInt16(Stream output, int value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
        output.Write(bytes);
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(Crc32(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu);
        output.Write(number);
    }

    /// <summary>PNG's CRC-32 (ISO 3309, reflected 0xEDB88320), continued from <paramref name="crc"/>.</summary>
    private static uint Crc32(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return crc;
    }
}
