using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// Bad configuration and unreachable services stop the host process fast with its exit code and one clear line naming
/// the setting, never a stack trace or a secret. Each bad value's message, in both hosts, is checked in-process by
/// HostContractTests; here only what the process itself shows: its exit code and its whole output.
/// </summary>
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

    [Fact]
    public async Task A_bad_setting_stops_the_host_with_exit_code_2_and_a_message_naming_it()
    {
        var (exit, output) = await RunAsync(new() { ["NetEase:RequestsPerSecond"] = "0" });
        Assert.True(exit == 2, $"exit {exit}:\n{output}");
        Assert.Contains("NetEase__RequestsPerSecond", output);
        Assert.DoesNotContain("Unhandled exception", output);
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

    /// <summary>
    /// Nothing listens at the endpoints, so each run says so in about a second (not after the storage SDK's 25 s of
    /// retries): the development key, an account key and a SAS, each with its endpoints on a closed port.
    /// </summary>
    [Fact]
    public async Task Unreachable_storage_is_reported_in_one_line_naming_the_setting_and_endpoint_but_never_the_secret()
    {
        var closed = FreePort.Next();
        const string accountKey = "U2VjcmV0S2V5T2ZUaGVUZXN0U2VjcmV0S2V5T2ZUaGVUZXN0U2VjcmV0S2V5T2ZUaGVUZXN0";
        const string signature = "c2VjcmV0U2lnbmF0dXJl%2Bc2VjcmV0%3D";
        var endpoints = $"QueueEndpoint=http://127.0.0.1:{closed}/acct;BlobEndpoint=http://127.0.0.1:{closed}/acct;TableEndpoint=http://127.0.0.1:{closed}/acct;";
        var development = RunAsync(new()
        {
            ["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;",
        });
        var secrets = new (string Credentials, string Secret)[]
        {
            ($"DefaultEndpointsProtocol=http;AccountName=acct;AccountKey={accountKey};", accountKey),
            ($"SharedAccessSignature=sv=2024-01-01&ss=bqt&srt=sco&sp=rwdlacup&se=2030-01-01&sig={signature};", signature),
        };
        var secretRuns = secrets.Select(s => RunAsync(new() { ["AzureWebJobsStorage"] = s.Credentials + endpoints })).ToList();

        var (exit, output) = await development;
        Assert.True(exit == 2, $"exit {exit}:\n{output}");
        Assert.Contains("Storage is unreachable (setting AzureWebJobsStorage", output);
        for (var i = 0; i < secrets.Length; i++)
        {
            (exit, output) = await secretRuns[i];
            var secret = secrets[i].Secret;
            Assert.True(exit == 2, $"exit {exit}:\n{output}");
            Assert.Contains($"Storage is unreachable (setting AzureWebJobsStorage; queues at http://127.0.0.1:{closed}/acct", output);
            Assert.DoesNotContain(secret, output);
            Assert.DoesNotContain(secret[..12], output);
        }
    }

    [Fact]
    public async Task An_unreachable_site_is_reported_with_exit_code_3_and_a_hint_to_use_the_sandbox()
    {
        var azurite = azurites.NewAccount();
        var (exit, output) = await RunAsync(new()
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["NetEase:BaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["NetEase:RetryDelaySeconds"] = "0.1", // the retries' backoff is not what this checks
        });
        Assert.True(exit == 3, $"exit {exit}:\n{output}");
        Assert.Contains("Cannot reach http://127.0.0.1:", output);
        Assert.Contains("--sandbox", output);
    }
}
