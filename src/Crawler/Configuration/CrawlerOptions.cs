namespace FunctionsCrawler.Configuration;

/// <summary>What to crawl and when (configuration section <c>Crawler</c>; checked by <see cref="CrawlerOptionsValidator"/>).</summary>
public sealed class CrawlerOptions
{
    public const string Section = "Crawler";
    /// <summary>About 100 years: more than any real retention, small enough for date arithmetic.</summary>
    public const int MaxRetentionDays = 36_500;

    /// <summary>Comma-separated categories, e.g. <c>说唱,华语</c>.</summary>
    public string Categories { get; set; } = "说唱";

    /// <summary>CRON (UTC, six fields) of the timer-triggered producer.</summary>
    public string Schedule { get; set; } = CrawlSchedules.Producer;

    /// <summary>Cap on list pages per category; 0 means all.</summary>
    public int MaxPages { get; set; }

    /// <summary>
    /// Fetch each playlist's tracks and the songs not yet known; false crawls playlists only. (The client and parsers for
    /// it exist; the pipeline's part comes with issue 19, and nothing reads this yet.)
    /// </summary>
    public bool Tracks { get; set; } = true;

    /// <summary>CRON of the check for stalled crawls (work lost in flight is sent again).</summary>
    public string ResumeSchedule { get; set; } = CrawlSchedules.StallCheck;

    /// <summary>An unfinished, unpaused crawl with no progress for this long is resumed.</summary>
    public int StallSeconds { get; set; } = 600;

    /// <summary>CRON of the retention clean-up (deletes what old crawls left behind).</summary>
    public string CleanupSchedule { get; set; } = CrawlSchedules.CleanUp;

    /// <summary>
    /// Crawls started longer ago than this many days are deleted (rows, status entity, poison messages,
    /// registry row), except, for each category, the newest ended crawl holding its rows. Text, so a wrong value is named, not a bind error.
    /// </summary>
    public string RetentionDays { get; set; } = "30";

    /// <summary>
    /// Days of per-playlist counters kept in <c>PlaylistHistory</c> (rows recorded longer ago are deleted by the clean-up),
    /// apart from <see cref="RetentionDays"/>: deleting a crawl never deletes its history. Text, as <see cref="RetentionDays"/>.
    /// </summary>
    public string HistoryDays { get; set; } = "365";

    /// <summary><see cref="HistoryDays"/> as a duration (valid only once <see cref="CrawlerOptionsValidator"/> passed it).</summary>
    public TimeSpan HistoryRetention => TimeSpan.FromDays(ParseRetentionDays(HistoryDays) ?? throw new InvalidOperationException($"Crawler__HistoryDays '{HistoryDays}' was not validated"));

    /// <summary><see cref="RetentionDays"/> as a duration (valid only once <see cref="CrawlerOptionsValidator"/> passed it).</summary>
    public TimeSpan Retention => TimeSpan.FromDays(ParseRetentionDays(RetentionDays) ?? throw new InvalidOperationException($"Crawler__RetentionDays '{RetentionDays}' was not validated"));

    public IReadOnlyList<string> CategoryList => SplitCategories(Categories);

    public static IReadOnlyList<string> SplitCategories(string? value) =>
        (value ?? "").Split([',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The whole number of days from 1 to <see cref="MaxRetentionDays"/> the text says, else null.</summary>
    public static int? ParseRetentionDays(string? text) =>
        int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= MaxRetentionDays
            ? days : null;
}

/// <summary>Thrown at start when a setting is wrong; the message names the setting.</summary>
public sealed class CrawlerConfigurationException(string message) : Exception(message);
