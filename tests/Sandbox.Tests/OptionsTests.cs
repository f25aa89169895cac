using Microsoft.Extensions.Configuration;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Options_bind_from_the_command_line()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(
        [
            "--Sandbox:Seed=9", "--Sandbox:PagesPerCategory=5", "--Sandbox:LastPageSize=20", "--Sandbox:LatencyMs=15",
            "--Sandbox:ErrorRate=0.05", "--Sandbox:BlockAfterRequests=40", "--Sandbox:BlockForSeconds=3", "--Sandbox:DeletedRate=0",
        ]).Build();
        var options = SandboxOptions.From(configuration);
        Assert.Equal((9, 5, 20, 15, 0.05, 40, 3, 0.0),
            (options.Seed, options.PagesPerCategory, options.LastPageSize, options.LatencyMs, options.ErrorRate,
             options.BlockAfterRequests, options.BlockForSeconds, options.DeletedRate));
    }

    [Fact]
    public void Defaults_are_documented_values()
    {
        var options = SandboxOptions.From(new ConfigurationBuilder().Build());
        Assert.Equal((1, 3, 0, 0, 0.0, 0, 20, 0.03),
            (options.Seed, options.PagesPerCategory, options.LastPageSize, options.LatencyMs, options.ErrorRate,
             options.BlockAfterRequests, options.BlockForSeconds, options.DeletedRate));
    }

    [Fact]
    public void Out_of_range_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxOptions { ErrorRate = 1.5 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxOptions { PagesPerCategory = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxOptions { LastPageSize = 36 }.Validate());
    }

    [Theory]
    [InlineData(new[] { "--port", "5099" }, 5099)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5081" }, 5081)]
    [InlineData(new[] { "--urls", "http://*:5082;http://127.0.0.1:6000" }, 5082)]
    [InlineData(new string[0], 5080)]
    public void Listen_port_comes_from_port_or_urls(string[] args, int expected) =>
        Assert.Equal(expected, ListenPort.From(new ConfigurationBuilder().AddCommandLine(args).Build()));

    [Fact]
    public async Task Port_zero_binds_a_free_loopback_port()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions());
        Assert.Equal("127.0.0.1", site.BaseUrl.Host);
        Assert.NotEqual(0, site.BaseUrl.Port);
    }
}
