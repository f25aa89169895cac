using System.Text;

namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>
/// Hashes that stay the same across processes and .NET versions
/// (string.GetHashCode is randomised per process, so it cannot seed a reproducible site).
/// </summary>
internal static class StableHash
{
    public static uint Fnv32(string text)
    {
        uint hash = 2166136261;
        Span<byte> buffer = stackalloc byte[ShortText];
        foreach (var b in Utf8(text, buffer))
        {
            hash ^= b;
            hash *= 16777619;
        }
        return hash;
    }

    public static ulong Of(int seed, string text, params ReadOnlySpan<long> parts)
    {
        ulong hash = 14695981039346656037UL ^ Mix((ulong)(uint)seed);
        Span<byte> buffer = stackalloc byte[ShortText];
        foreach (var b in Utf8(text, buffer))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        foreach (var part in parts)
            hash = Mix(hash ^ Mix((ulong)part));
        return Mix(hash);
    }

    // Hashing runs several times per playlist: short texts are encoded on the stack instead of allocated.
    private const int ShortText = 256;

    private static ReadOnlySpan<byte> Utf8(string text, Span<byte> buffer) =>
        Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(text, buffer)]
            : Encoding.UTF8.GetBytes(text);

    /// <summary>SplitMix64 finaliser: spreads every input bit over the whole word.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform number in [0, 1) from a hash.</summary>
    public static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));
}
