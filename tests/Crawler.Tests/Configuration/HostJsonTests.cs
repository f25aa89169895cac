using FunctionsCrawler.Configuration;
using FunctionsCrawler.Hosting;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace FunctionsCrawler.Tests.Configuration;

/// <summary>The one host.json reader of both hosts.</summary>
public sealed class HostJsonTests : IDisposable
{
    private readonly string _appDirectory = Directory.CreateTempSubdirectory("host-json-").FullName;

    public void Dispose() => Directory.Delete(_appDirectory, recursive: true);

    private static IConfiguration Settings(params (string Key, string Value)[] values) => new ConfigurationBuilder()
        .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
        .Build();

    private void WriteHostJson(string json) => File.WriteAllText(Path.Combine(_appDirectory, "host.json"), json);

    [Fact]
    public void Max_dequeue_count_comes_from_host_json()
    {
        WriteHostJson("""{ "version": "2.0", "extensions": { "queues": { "maxDequeueCount": 3 } } }""");
        Assert.Equal(3, HostJson.Load(_appDirectory, Settings()).MaxDequeueCount);
    }

    [Fact]
    public void The_AzureFunctionsJobHost_app_setting_overrides_host_json()
    {
        WriteHostJson("""{ "extensions": { "queues": { "maxDequeueCount": 3, "batchSize": 8 } } }""");
        var hostJson = HostJson.Load(_appDirectory, Settings(("AzureFunctionsJobHost:extensions:queues:maxDequeueCount", "8")));
        Assert.Equal(8, hostJson.MaxDequeueCount);
        Assert.Equal("8", hostJson.Queues["batchSize"]);
    }

    [Fact]
    public void Without_a_setting_the_hosts_default_of_five_applies()
    {
        WriteHostJson("""{ "version": "2.0" }""");
        Assert.Equal(5, HostJson.Load(_appDirectory, Settings()).MaxDequeueCount);
        Assert.Equal(5, HostJson.Load(Path.Combine(_appDirectory, "missing"), Settings()).MaxDequeueCount);
        Assert.Equal("FunctionsCrawler", HostJson.Load(_appDirectory, Settings()).DurableHubName);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_read_as_the_Functions_host_reads_them()
    {
        WriteHostJson("""
            {
              // the crawl's queues
              "extensions": { "queues": { "maxDequeueCount": 4, }, "durableTask": { "hubName": "Hub2" } },
            }
            """);
        var hostJson = HostJson.Load(_appDirectory, Settings());
        Assert.Equal(4, hostJson.MaxDequeueCount);
        Assert.Equal("Hub2", hostJson.DurableHubName);
    }

    [Fact]
    public void A_host_json_that_does_not_parse_is_a_named_configuration_error()
    {
        WriteHostJson("""{ "extensions": """);
        var error = Assert.Throws<CrawlerConfigurationException>(() => HostJson.Load(_appDirectory, Settings()));
        Assert.Contains("host.json is not valid JSON", error.Message);
    }

    [Fact]
    public void The_repository_host_json_gives_both_hosts_five_tries()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "FunctionsCrawler.sln"))) root = Path.GetDirectoryName(root)!;
        Assert.Equal(5, HostJson.Load(root, Settings()).MaxDequeueCount);
    }
}
