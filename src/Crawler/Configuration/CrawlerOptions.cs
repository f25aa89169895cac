namespace FunctionsCrawler.Configuration;

/// <summary>What to crawl and when (configuration section <c>Crawler</c>).</summary>
public sealed class CrawlerOptions
{
    public const string Section = "Crawler";
    /// <summary>About 100 years: more than any real retention, small enough for date arithmetic.</summary>
    public const int MaxRetentionDays = 36_500;

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

    /// <summary>CRON of the retention clean-up (deletes what old crawls left behind).</summary>
    public string CleanupSchedule { get; set; } = "0 30 4 * * *";

    /// <summary>
    /// Crawls started longer ago than this many days are deleted (rows, status entity, poison messages,
    /// registry row), except the newest completed crawl of each category. Text, so a wrong value is named, not a bind error.
    /// </summary>
    public string RetentionDays { get; set; } = "30";

    /// <summary><see cref="RetentionDays"/> as a duration (valid only when <see cref="Problems"/> names none for it).</summary>
    public TimeSpan Retention => TimeSpan.FromDays(int.Parse(RetentionDays, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture));

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
        if (string.IsNullOrWhiteSpace(CleanupSchedule) || CleanupSchedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6)
            yield return $"Crawler__CleanupSchedule must be a six-field CRON expression (seconds first), got '{CleanupSchedule}'.";
        if (!int.TryParse(RetentionDays, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var days) || days < 1 || days > MaxRetentionDays)
            yield return $"Crawler__RetentionDays must be a whole number of days from 1 to {MaxRetentionDays}, got '{RetentionDays}'.";
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
