namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>A tiny deterministic random sequence (SplitMix64) for generating one playlist's fields.</summary>
internal sealed class SeededSequence(ulong state)
{
    private ulong _state = state;

    public ulong NextRaw()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return StableHash.Mix(_state);
    }

    /// <summary>A number in [0, max).</summary>
    public long Next(long max) => (long)(NextRaw() % (ulong)max);

    /// <summary>A number in [min, max).</summary>
    public long Next(long min, long max) => min + Next(max - min);

    public double NextDouble() => StableHash.Unit(NextRaw());

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[(int)Next(items.Count)];
}
