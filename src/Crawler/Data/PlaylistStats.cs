using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Data;

/// <summary>Playlists whose play count is at least <see cref="From"/> and below <see cref="To"/> (null: no upper bound).</summary>
public sealed record PlayCountBucket(long From, long? To, int Count);

/// <summary>A category's figures: how many playlists, the median play count, the ten most played and the play-count distribution.</summary>
public sealed record CategoryStats(string Category, int Count, double? MedianPlays, long TotalPlays,
    IReadOnlyList<PlaylistItemView> Top, IReadOnlyList<PlayCountBucket> Distribution, bool Truncated);

/// <summary>The answer of <c>GET /api/playlists/stats</c>.</summary>
public sealed record DatasetStats(IReadOnlyList<CategoryStats> Categories)
{
    /// <summary>One line per category of the dataset that was not read (not a category name, or storage refused its partition).</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];
}

/// <summary>Figures of a category's latest view, computed from its rows (no I/O).</summary>
public static class PlaylistStats
{
    public const int TopCount = 10;

    public static CategoryStats Of(string category, IReadOnlyList<PlaylistRecord> rows, bool truncated)
    {
        var plays = rows.Select(r => r.Detail.PlayCount).Order().ToArray();
        var top = rows.OrderByDescending(r => r.Detail.PlayCount).ThenBy(r => r.Detail.Id).Take(TopCount).Select(PlaylistItemView.From).ToList();
        long total = 0;
        foreach (var p in plays) total = p > long.MaxValue - total ? long.MaxValue : total + p; // hostile counts saturate, never wrap
        return new CategoryStats(category, rows.Count, Median(plays), total, top, Distribution(plays), truncated);
    }

    public static double? Median(IReadOnlyList<long> sorted) =>
        sorted.Count == 0 ? null
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
        : ((double)sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    /// <summary>
    /// Decades of play counts (0, 1–9, 10–99, …) from 0 up to the decade of the largest count, so a chart on a log
    /// axis shows one bar per power of ten; empty decades in between are kept (a gap is part of the shape).
    /// </summary>
    public static IReadOnlyList<PlayCountBucket> Distribution(IReadOnlyList<long> plays)
    {
        if (plays.Count == 0) return [];
        var counts = new int[20]; // decade 0 holds zero plays; decade k ≥ 1 holds [10^(k-1), 10^k)
        var highest = 0;
        foreach (var p in plays)
        {
            var k = p <= 0 ? 0 : Digits(p);
            counts[k]++;
            highest = Math.Max(highest, k);
        }
        var buckets = new List<PlayCountBucket>(highest + 1);
        for (var k = 0; k <= highest; k++)
        {
            var from = k == 0 ? 0 : Pow10(k - 1);
            long? to = k == 0 ? 1 : k >= 19 ? null : Pow10(k);
            buckets.Add(new PlayCountBucket(from, to, counts[k]));
        }
        return buckets;
    }

    private static int Digits(long n)
    {
        var d = 0;
        while (n > 0) { n /= 10; d++; }
        return d;
    }

    private static long Pow10(int k)
    {
        long v = 1;
        for (var i = 0; i < k; i++) v *= 10;
        return v;
    }
}
