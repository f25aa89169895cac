using Microsoft.Extensions.Configuration;
using Xunit;

namespace FunctionsCrawler.Functions.Tests;

public sealed class QueueDeliveryTests : IDisposable
{
    private readonly string _appDirectory = Directory.CreateTempSubdirectory("functions-app-").FullName;

    public void Dispose() => Directory.Delete(_appDirectory, recursive: true);

    private static IConfiguration Settings(string? maxDequeueCount = null) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [QueueDelivery.OverrideKey] = maxDequeueCount })
        .Build();

    private void WriteHostJson(string json) => File.WriteAllText(Path.Combine(_appDirectory, "host.json"), json);

    [Fact]
    public void Max_dequeue_count_comes_from_host_json_beside_the_app()
    {
        WriteHostJson("""{ "version": "2.0", "extensions": { "queues": { "maxDequeueCount": 3 } } }""");
        Assert.Equal(3, QueueDelivery.FromConfiguration(Settings(), _appDirectory).MaxDequeueCount);
    }

    [Fact]
    public void The_AzureFunctionsJobHost_app_setting_overrides_host_json()
    {
        WriteHostJson("""{ "extensions": { "queues": { "maxDequeueCount": 3 } } }""");
        Assert.Equal(8, QueueDelivery.FromConfiguration(Settings("8"), _appDirectory).MaxDequeueCount);
    }

    [Fact]
    public void Without_a_setting_the_hosts_default_of_five_applies()
    {
        WriteHostJson("""{ "version": "2.0" }""");
        Assert.Equal(5, QueueDelivery.FromConfiguration(Settings(), _appDirectory).MaxDequeueCount);
        Assert.Equal(5, QueueDelivery.FromConfiguration(Settings(), Path.Combine(_appDirectory, "missing")).MaxDequeueCount);
    }
}
