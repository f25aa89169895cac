using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>Bad configuration and unreachable services fail fast with one clear message naming the setting.</summary>
public sealed class StartupChecksTests(AzuriteFixture azurites) : IClassFixture<AzuriteFixture>
{
    private static async Task<(int Exit, string Output)> RunAsync(Dictionary<string, string> settings)
    {
        settings.TryAdd("Run:Crawl", "true");
        settings.TryAdd("Run:Once", "true");
        await using var host = HostProcess.Start(settings);
        var exit = await host.WaitForExitAsync(TimeSpan.FromMinutes(1));
        return (exit, host.Output);
    }

    [Theory]
    [InlineData("NetEase:RequestsPerSecond", "0", "NetEase__RequestsPerSecond")]
    [InlineData("NetEase:RequestsPerSecond", "-3", "NetEase__RequestsPerSecond")]
    [InlineData("NetEase:BaseUrl", "ftp://music.163.com", "NetEase__BaseUrl")]
    [InlineData("NetEase:BaseUrl", "music.163.com", "NetEase__BaseUrl")]
    [InlineData("Crawler:Categories", " , ", "Crawler__Categories")]
    [InlineData("Crawler:RetentionDays", "1.5", "Crawler__RetentionDays")]
    public async Task A_bad_setting_stops_the_host_with_a_message_naming_it(string key, string value, string named)
    {
        var (exit, output) = await RunAsync(new() { [key] = value });
        Assert.True(exit == 2, $"exit {exit}:\n{output}");
        Assert.Contains(named, output);
        Assert.DoesNotContain("Unhandled exception", output);
    }

    [Fact]
    public async Task Unreachable_storage_is_reported_in_one_line_naming_the_setting()
    {
        var closed = FreePort.Next();
        var (exit, output) = await RunAsync(new()
        {
            ["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;",
        });
        Assert.True(exit == 2, $"exit {exit}:\n{output}");
        Assert.Contains("Storage is unreachable (setting AzureWebJobsStorage", output);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=acct;AccountKey={secret};", "U2VjcmV0S2V5T2ZUaGVUZXN0U2VjcmV0S2V5T2ZUaGVUZXN0U2VjcmV0S2V5T2ZUaGVUZXN0")]
    [InlineData("SharedAccessSignature=sv=2024-01-01&ss=bqt&srt=sco&sp=rwdlacup&se=2030-01-01&sig={secret};", "c2VjcmV0U2lnbmF0dXJl%2Bc2VjcmV0%3D")]
    public async Task Unreachable_storage_is_reported_naming_the_endpoint_but_never_the_secret(string credentials, string secret)
    {
        var closed = FreePort.Next();
        var endpoints = $"QueueEndpoint=http://127.0.0.1:{closed}/acct;BlobEndpoint=http://127.0.0.1:{closed}/acct;TableEndpoint=http://127.0.0.1:{closed}/acct;";
        var (exit, output) = await RunAsync(new() { ["AzureWebJobsStorage"] = credentials.Replace("{secret}", secret) + endpoints });
        Assert.True(exit == 2, $"exit {exit}:\n{output}");
        Assert.Contains($"Storage is unreachable (setting AzureWebJobsStorage; queues at http://127.0.0.1:{closed}/acct", output);
        Assert.DoesNotContain(secret, output);
        Assert.DoesNotContain(secret[..12], output);
    }

    [Fact]
    public async Task A_connection_string_that_does_not_parse_is_one_line_naming_the_setting_without_its_value()
    {
        var (exit, output) = await RunAsync(new() { ["AzureWebJobsStorage"] = "AccountName=acct;AccountKey=not base64 secret!!" });
        Assert.True(exit == 2, $"exit {exit}:\n{output}");
        Assert.Contains("AzureWebJobsStorage is not a valid storage connection string", output);
        Assert.DoesNotContain("not base64 secret", output);
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task An_unreachable_site_is_reported_with_a_hint_to_use_the_sandbox()
    {
        var azurite = azurites.NewAccount();
        var (exit, output) = await RunAsync(new()
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["NetEase:BaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}",
        });
        Assert.True(exit == 3, $"exit {exit}:\n{output}");
        Assert.Contains("Cannot reach http://127.0.0.1:", output);
        Assert.Contains("--sandbox", output);
    }
}
