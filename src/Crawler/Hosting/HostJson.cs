using FunctionsCrawler.Configuration;
using Microsoft.Extensions.Configuration;

namespace FunctionsCrawler.Hosting;

/// <summary>
/// The one reader of <c>host.json</c> for both hosts: the file in <paramref name="directory"/> (beside the Functions app,
/// or the WebJobs host's settings folder), overridden as the Functions host allows by app settings under
/// <c>AzureFunctionsJobHost</c> (<c>AzureFunctionsJobHost__extensions__queues__maxDequeueCount=3</c>).
/// </summary>
public sealed class HostJson
{
    public const string FileName = "host.json";
    public const string OverrideSection = "AzureFunctionsJobHost";
    /// <summary>The Functions host's default when host.json says nothing.</summary>
    public const int DefaultMaxDequeueCount = 5;
    public const string DefaultHubName = "FunctionsCrawler";

    private HostJson(IConfiguration configuration) => Configuration = configuration;

    public IConfiguration Configuration { get; }

    /// <summary><c>extensions:queues</c>: batchSize, maxDequeueCount, visibilityTimeout, maxPollingInterval…</summary>
    public IConfigurationSection Queues => Configuration.GetSection("extensions:queues");

    /// <summary>How many tries a queue message gets before the poison queue, so a step knows its last try.</summary>
    public int MaxDequeueCount =>
        int.TryParse(Queues["maxDequeueCount"], out var count) && count > 0 ? count : DefaultMaxDequeueCount;

    /// <summary>How long a failed message stays invisible before its next try (<c>visibilityTimeout</c>; the extension's default is none).</summary>
    public TimeSpan RetryDelay =>
        TimeSpan.TryParse(Queues["visibilityTimeout"], System.Globalization.CultureInfo.InvariantCulture, out var delay) && delay >= TimeSpan.Zero ? delay : TimeSpan.Zero;

    /// <summary>The delivery of a queue message on its <paramref name="dequeueCount"/>th try.</summary>

    public string DurableHubName => Configuration["extensions:durableTask:hubName"] is { Length: > 0 } hub ? hub : DefaultHubName;

    public IConfigurationSection DurableStorageProvider => Configuration.GetSection("extensions:durableTask:storageProvider");

    /// <summary>host.json in <paramref name="directory"/> (none: the defaults), then the <c>AzureFunctionsJobHost</c> settings.</summary>
    public static HostJson Load(string directory, IConfiguration settings)
    {
        var path = Path.Combine(Path.GetFullPath(directory), FileName);
        try
        {
            return new HostJson(new ConfigurationBuilder()
                .AddJsonFile(path, optional: true, reloadOnChange: false)
                .AddConfiguration(settings.GetSection(OverrideSection))
                .Build());
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            throw new CrawlerConfigurationException($"{path} is not valid JSON: {(e.InnerException ?? e).Message.Split('\n')[0]}");
        }
    }
}
