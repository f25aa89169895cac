using System.Buffers.Binary;
using System.IO.Compression;

namespace FunctionsCrawler.Tests.Storage;

/// <summary>
/// Images whose header claims more than their bytes hold, written byte by byte (never drawn): a GIF canvas with one-pixel
/// frames, a PNG of one grey, an animated WebP's chunk list. The same shapes as the Sandbox's bomb covers.
/// </summary>
internal static class BombImages
{
    /// <summary>A GIF89a of a <paramref name="width"/>×<paramref name="height"/> canvas with <paramref name="frames"/> one-pixel frames.</summary>
    public static byte[] Gif(int width, int height, int frames)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        UInt16(gif, width);
        UInt16(gif, height);
        gif.Write([0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
        for (var frame = 0; frame < frames; frame++)
        {
            gif.Write([0x21, 0xF9, 4, 0, 10, 0, 0, 0, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0]);
        }
        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    /// <summary>An 8-bit grey PNG of <paramref name="side"/>² in one grey.</summary>
    public static byte[] Png(int side)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, side);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
        header[8] = 8;
        Chunk(png, "IHDR"u8, header);
        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[side + 1];
            row.AsSpan(1).Fill(0x80);
            for (var y = 0; y < side; y++) zlib.Write(row);
        }
        Chunk(png, "IDAT"u8, pixels.ToArray());
        Chunk(png, "IEND"u8, []);
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

    private static void UInt16(Stream output, int value)
    {
        output.WriteByte((byte)value);
        output.WriteByte((byte)(value >> 8));
    }

    private static void Chunk(Stream output, ReadOnlySpan<byte> type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        output.Write(type);
        output.Write(data);
        var crc = 0xFFFFFFFFu;
        foreach (var b in type.ToArray().Concat(data))
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        BinaryPrimitives.WriteUInt32BigEndian(number, crc ^ 0xFFFFFFFFu);
        output.Write(number);
    }
}
