using System.Text.RegularExpressions;

namespace FunctionsCrawler.Configuration;

/// <summary>
/// The timers' CRON defaults (UTC, six fields, seconds first), written here only: <see cref="CrawlerOptions"/> starts from
/// them, the WebJobs host resolves its <c>%Crawler:…%</c> schedules to them when no setting names one, and the Functions
/// app's timer attributes hold them as literals (the Functions host resolves <c>%name%</c> from its app settings, not
/// from the worker, so a literal is what keeps a timer alive in an app deployed without the setting).
/// </summary>
public static partial class CrawlSchedules
{
    /// <summary>The producer (<c>Crawler__Schedule</c>): daily at 03:00 UTC.</summary>
    public const string Producer = "0 0 3 * * *";

    /// <summary>The stall check (<c>Crawler__ResumeSchedule</c>): every 10 minutes; rare on purpose, each run wakes an instance.</summary>
    public const string StallCheck = "0 */10 * * * *";

    /// <summary>The retention clean-up (<c>Crawler__CleanupSchedule</c>): daily at 04:30 UTC, after the 03:00 crawl has started.</summary>
    public const string CleanUp = "0 30 4 * * *";

    /// <summary>
    /// Six fields of digits, names, <c>* / , - ?</c> — the shape both hosts' timers (NCrontab with seconds) read; a
    /// five-field expression would be read with the minutes as seconds, so it is refused rather than guessed.
    /// </summary>
    public static bool IsSixFieldCron(string? expression) =>
        expression is not null && expression.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 6 } fields && fields.All(f => CronField().IsMatch(f));

    [GeneratedRegex(@"^[0-9A-Za-z*/,\-?]+$")]
    private static partial Regex CronField();
}
