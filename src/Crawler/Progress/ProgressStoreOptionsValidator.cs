using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Progress;

/// <summary>Every wrong <c>ProgressStore__*</c> setting, one sentence each naming its key (run at start: <c>ValidateOnStart</c>).</summary>
public sealed class ProgressStoreOptionsValidator : IValidateOptions<ProgressStoreOptions>
{
    /// <summary>A day: longer waits are a typo (seconds written as hours), not a choice.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, ProgressStoreOptions options)
    {
        var problems = new List<string>();
        void Between(string key, TimeSpan value, TimeSpan least, string leastText)
        {
            if (value < least || value > Longest)
                problems.Add($"ProgressStore__{key} must be {leastText} and at most a day (hh:mm:ss), got {value}.");
        }
        Between(nameof(options.FlushEvery), options.FlushEvery, TimeSpan.FromTicks(1), "above 0");
        Between(nameof(options.FirstFlushAfter), options.FirstFlushAfter, TimeSpan.Zero, "0 or more");
        Between(nameof(options.ReadBackoff), options.ReadBackoff, TimeSpan.Zero, "0 or more");
        Between(nameof(options.MaxSignalBackoff), options.MaxSignalBackoff, TimeSpan.FromTicks(1), "above 0");
        Between(nameof(options.FinalFlushTimeout), options.FinalFlushTimeout, TimeSpan.FromTicks(1), "above 0");
        if (options.ReadTries < 1)
            problems.Add($"ProgressStore__ReadTries must be 1 or more, got {options.ReadTries}.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
