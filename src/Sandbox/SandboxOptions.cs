using Microsoft.Extensions.Configuration;

namespace FunctionsCrawler.Sandbox;

/// <summary>How the Sandbox site behaves. Bound from the configuration section "Sandbox".</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>Seeds the catalog and the fault RNG: the same seed gives the same site.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Most pages a category has; see the README for which categories have fewer.</summary>
    public int PagesPerCategory { get; set; } = 3;

    /// <summary>Items on a category's last page: 0 = varies by category (21..34), 1..35 = fixed for all.</summary>
    public int LastPageSize { get; set; }

    /// <summary>Delay added before every site response.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Fraction (0..1) of site requests answered HTTP 500/502.</summary>
    public double ErrorRate { get; set; }

    /// <summary>After this many page/API requests a block window opens; 0 = never block.</summary>
    public int BlockAfterRequests { get; set; }

    /// <summary>How long a block window lasts.</summary>
    public int BlockForSeconds { get; set; } = 20;

    /// <summary>Fraction (0..1) of ordinary playlist ids that are deleted (listed, but not found).</summary>
    public double DeletedRate { get; set; } = 0.03;

    /// <summary>
    /// Comma-separated playlist ids whose detail page and API always answer HTTP 500 (to drive a message
    /// into the poison queue). Can be changed while the site runs, e.g. cleared to let a retry succeed.
    /// </summary>
    public string FailingIds
    {
        get => string.Join(',', _failingIds);
        set => _failingIds = (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(long.Parse).ToHashSet();
    }

    private volatile HashSet<long> _failingIds = [];

    public bool IsFailing(long playlistId) => _failingIds.Contains(playlistId);

    public static SandboxOptions From(IConfiguration configuration)
    {
        var options = new SandboxOptions();
        configuration.GetSection(Section).Bind(options);
        options.Validate();
        return options;
    }

    public void Validate()
    {
        if (PagesPerCategory < 1)
            throw new ArgumentOutOfRangeException(nameof(PagesPerCategory), PagesPerCategory, "must be at least 1");
        if (LastPageSize is < 0 or > SandboxCatalog.PageSize)
            throw new ArgumentOutOfRangeException(nameof(LastPageSize), LastPageSize, "must be 0 (varies) or 1..35");
        if (LatencyMs < 0)
            throw new ArgumentOutOfRangeException(nameof(LatencyMs), LatencyMs, "must not be negative");
        if (ErrorRate is < 0 or > 1 || double.IsNaN(ErrorRate))
            throw new ArgumentOutOfRangeException(nameof(ErrorRate), ErrorRate, "must be within 0..1");
        if (DeletedRate is < 0 or > 1 || double.IsNaN(DeletedRate))
            throw new ArgumentOutOfRangeException(nameof(DeletedRate), DeletedRate, "must be within 0..1");
        if (BlockAfterRequests < 0)
            throw new ArgumentOutOfRangeException(nameof(BlockAfterRequests), BlockAfterRequests, "must not be negative");
        if (BlockForSeconds < 0)
            throw new ArgumentOutOfRangeException(nameof(BlockForSeconds), BlockForSeconds, "must not be negative");
    }
}
