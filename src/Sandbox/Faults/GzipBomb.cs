using System.Collections.Concurrent;
using System.IO.Compression;

namespace FunctionsCrawler.Sandbox.Faults;

/// <summary>
/// A gzip body of a few hundred KB that inflates to megabytes × 2^20 bytes: the start of an HTML page,
/// then spaces that never close it. Compressed once per size through a stream, so the inflated text
/// is never held in memory.
/// </summary>
internal static class GzipBomb
{
    private static readonly ConcurrentDictionary<int, Lazy<byte[]>> Compressed = new();

    public static byte[] Of(int megabytes) =>
        Compressed.GetOrAdd(megabytes, size => new Lazy<byte[]>(() => Compress(size))).Value;

    private static byte[] Compress(int megabytes)
    {
        var head = "<!DOCTYPE html>\n<html>\n<head>\n"u8;
        var spaces = new byte[64 * 1024];
        spaces.AsSpan().Fill((byte)' ');
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(head);
            for (var left = megabytes * (1L << 20) - head.Length; left > 0; left -= spaces.Length)
                gzip.Write(spaces, 0, (int)Math.Min(left, spaces.Length));
        }
        return output.ToArray();
    }
}
