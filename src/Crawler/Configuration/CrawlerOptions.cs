namespace FunctionsCrawler.Configuration;

/// <summary>What to crawl and when (configuration section <c>Crawler</c>).</summary>
public sealed class CrawlerOptions
{
    public const string Section = "Crawler";

    /// <summary>Comma-separated categories, e.g. <c>说唱,华语</c>.</summary>
    public string Categories { get; set; } = "说唱";

    /// <summary>CRON (UTC, six fields) of the timer-triggered producer.</summary>
    public string Schedule { get; set; } = "0 0 3 * * *";

    /// <summary>Cap on list pages per category; 0 means all.</summary>
    public int MaxPages { get; set; }

    /// <summary>CRON of the check for stalled crawls (work lost in flight is sent again).</summary>
    public string ResumeSchedule { get; set; } = "0 */10 * * * *";

    /// <summary>An unfinished, unpaused crawl with no progress for this long is resumed.</summary>
    public int StallSeconds { get; set; } = 600;

    public IReadOnlyList<string> CategoryList => SplitCategories(Categories);

    public static IReadOnlyList<string> SplitCategories(string? value) =>
        (value ?? "").Split([',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToArray();

    public IEnumerable<string> Problems()
    {
        if (CategoryList.Count == 0)
            yield return "Crawler__Categories must name at least one category (comma-separated), got an empty list.";
        if (MaxPages < 0)
            yield return $"Crawler__MaxPages must be 0 (all) or more, got {MaxPages}.";
        if (StallSeconds <= 0)
            yield return $"Crawler__StallSeconds must be above 0, got {StallSeconds}.";
        if (string.IsNullOrWhiteSpace(Schedule) || Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6)
            yield return $"Crawler__Schedule must be a six-field CRON expression (seconds first), got '{Schedule}'.";
    }
}

/// <summary>Thrown at start when a setting is wrong; the message names the setting.</summary>
public sealed class CrawlerConfigurationException(string message) : Exception(message)
{
    public static void ThrowIfAny(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        if (list.Count > 0) throw new CrawlerConfigurationException(string.Join(" ", list));
    }
}
