using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Configuration;

/// <summary>Every wrong <c>Crawler__*</c> setting, one sentence each naming its key (run at start: <c>ValidateOnStart</c>).</summary>
public sealed class CrawlerOptionsValidator : IValidateOptions<CrawlerOptions>
{
    public ValidateOptionsResult Validate(string? name, CrawlerOptions options)
    {
        var problems = new List<string>();
        if (options.CategoryList.Count == 0)
            problems.Add("Crawler__Categories must name at least one category (comma-separated), got an empty list.");
        else if (CategoryNames.ProblemOf(options.CategoryList, CategoryNames.MaxPerRequest, "Crawler__Categories") is { } category)
            problems.Add(category);
        if (options.MaxPages < 0)
            problems.Add($"Crawler__MaxPages must be 0 (all) or more, got {options.MaxPages}.");
        if (options.StallSeconds <= 0)
            problems.Add($"Crawler__StallSeconds must be above 0, got {options.StallSeconds}.");
        foreach (var (key, value) in new[] { ("Schedule", options.Schedule), ("ResumeSchedule", options.ResumeSchedule), ("CleanupSchedule", options.CleanupSchedule) })
            if (!CrawlSchedules.IsSixFieldCron(value))
                problems.Add($"Crawler__{key} must be a six-field CRON expression (seconds first), got '{value}'.");
        if (CrawlerOptions.ParseRetentionDays(options.RetentionDays) is null)
            problems.Add($"Crawler__RetentionDays must be a whole number of days from 1 to {CrawlerOptions.MaxRetentionDays}, got '{options.RetentionDays}'.");
        if (CrawlerOptions.ParseRetentionDays(options.HistoryDays) is null)
            problems.Add($"Crawler__HistoryDays must be a whole number of days from 1 to {CrawlerOptions.MaxRetentionDays}, got '{options.HistoryDays}'.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
