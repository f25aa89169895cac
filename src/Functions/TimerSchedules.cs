using System.Text.Json.Nodes;
using FunctionsCrawler.Configuration;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Functions;

/// <summary>
/// The schedule each timer runs on, as the worker tells the Functions host. The host resolves a <c>%Crawler:Schedule%</c>
/// in a timer attribute from its own app settings, never from the worker's configuration, so an app deployed without
/// the setting would lose that timer; the attributes therefore hold the defaults (<see cref="CrawlSchedules"/>), and
/// this transformer swaps in the configured <see cref="CrawlerOptions"/> schedule when the host asks the worker for its
/// functions (worker indexing: <c>worker.config.json</c> says <c>workerIndexing: true</c>). Were the host ever to read
/// <c>functions.metadata</c> itself instead, the timers would still run, on the defaults.
/// </summary>
public sealed class TimerSchedules(IOptions<CrawlerOptions> crawler) : IFunctionMetadataTransformer
{
    public string Name => nameof(TimerSchedules);

    /// <summary>Each timer function's schedule, from the settings (the defaults when none is set).</summary>
    public IReadOnlyDictionary<string, string> ByFunction => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(Triggers.StartCrawlOnSchedule)] = crawler.Value.Schedule,
        [nameof(Triggers.ResumeStalledCrawls)] = crawler.Value.ResumeSchedule,
        [nameof(Triggers.CleanUpOldCrawls)] = crawler.Value.CleanupSchedule,
    };

    public void Transform(IList<IFunctionMetadata> original)
    {
        var schedules = ByFunction;
        foreach (var function in original)
        {
            if (function.Name is null || function.RawBindings is not { } bindings || !schedules.TryGetValue(function.Name, out var schedule)) continue;
            for (var i = 0; i < bindings.Count; i++)
            {
                if (JsonNode.Parse(bindings[i]) is not JsonObject binding || binding["type"]?.GetValue<string>() != "timerTrigger") continue;
                binding["schedule"] = schedule.Trim();
                bindings[i] = binding.ToJsonString();
            }
        }
    }
}
