using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace FunctionsCrawler.Functions;

/// <summary>
/// How many tries the Functions host gives a queue message before moving it to the poison queue, so a
/// step knows its last try. The host reads host.json, which the worker does not see as configuration.
/// </summary>
public sealed record QueueDelivery(int MaxDequeueCount)
{
    public const int DefaultMaxDequeueCount = 5;
    /// <summary>An app setting that overrides host.json (<c>AzureFunctionsJobHost__extensions__queues__maxDequeueCount</c>).</summary>
    public const string OverrideKey = "AzureFunctionsJobHost:extensions:queues:maxDequeueCount";

    /// <summary>The app-setting override, else host.json beside the app, else the host's default of 5.</summary>
    public static QueueDelivery FromConfiguration(IConfiguration configuration, string appDirectory) =>
        new(Positive(configuration[OverrideKey]) ?? FromHostJson(Path.Combine(appDirectory, "host.json")) ?? DefaultMaxDequeueCount);

    private static int? FromHostJson(string path)
    {
        if (!File.Exists(path)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return doc.RootElement.TryGetProperty("extensions", out var extensions)
               && extensions.TryGetProperty("queues", out var queues)
               && queues.TryGetProperty("maxDequeueCount", out var value)
               && value.TryGetInt32(out var count) && count > 0
            ? count
            : null;
    }

    private static int? Positive(string? value) => int.TryParse(value, out var count) && count > 0 ? count : null;
}
