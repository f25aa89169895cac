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

    [Fact]
    public void Hostile_options_bind_from_the_command_line()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(
        [
            "--Sandbox:CharsetLabel=utf8", "--Sandbox:ApiCharsetLabel=", "--Sandbox:PageEncoding=GBK", "--Sandbox:BlockShape=460-400",
            "--Sandbox:RetryAfterSeconds=30", "--Sandbox:DripIds=12, 34", "--Sandbox:DripIntervalMs=50", "--Sandbox:InflateIds=56",
            "--Sandbox:InflateMegabytes=10", "--Sandbox:HugeCountIds=78", "--Sandbox:RedirectCoverIds=90,91", "--Sandbox:CoverRedirectTo=self",
            "--Sandbox:PagerLastPage=2147483647", "--Sandbox:MenuCategories=8", "--Sandbox:AllPagesFull=true", "--Sandbox:FailingIds=5",
        ]).Build();
        var options = SandboxOptions.From(configuration);
        Assert.Equal(("utf8", "", "GBK", "460-400", 30, 50, 10, "self", 2147483647L, 8, true),
            (options.CharsetLabel, options.ApiCharsetLabel, options.PageEncoding, options.BlockShape, options.RetryAfterSeconds,
             options.DripIntervalMs, options.InflateMegabytes, options.CoverRedirectTo, options.PagerLastPage, options.MenuCategories, options.AllPagesFull));
        Assert.Equal(("12,34", "56", "78", "90,91", "5"),
            (options.DripIds, options.InflateIds, options.HugeCountIds, options.RedirectCoverIds, options.FailingIds));
        Assert.True(options.IsFailing(5));
    }

    [Fact]
    public void Hostile_options_default_to_the_well_behaved_site()
    {
        var options = SandboxOptions.From(new ConfigurationBuilder().Build());
        Assert.Equal(("utf-8", "UTF-8", "utf-8", "rotate", 0, 1000, 200, "http://169.254.169.254/latest/meta-data/", 0L, 0, false),
            (options.CharsetLabel, options.ApiCharsetLabel, options.PageEncoding, options.BlockShape, options.RetryAfterSeconds,
             options.DripIntervalMs, options.InflateMegabytes, options.CoverRedirectTo, options.PagerLastPage, options.MenuCategories, options.AllPagesFull));
        Assert.Equal(("", "", "", "", ""), (options.DripIds, options.InflateIds, options.HugeCountIds, options.RedirectCoverIds, options.FailingIds));
    }

    [Theory]
    [InlineData("BlockShape", "404", "Sandbox:BlockShape=404 must be one of rotate, 503, 429, 460, 460-400, 462, empty")]
    [InlineData("CharsetLabel", "utf 8", "Sandbox:CharsetLabel=utf 8 must be empty")]
    [InlineData("CharsetLabel", "utf-8;x=1", "Sandbox:CharsetLabel=utf-8;x=1 must be empty")]
    [InlineData("PageEncoding", "latin1", "Sandbox:PageEncoding=latin1 must be utf-8 or gbk")]
    [InlineData("RetryAfterSeconds", "-1", "Sandbox:RetryAfterSeconds=-1 must not be negative")]
    [InlineData("DripIntervalMs", "0", "Sandbox:DripIntervalMs=0 must be within 1..60000")]
    [InlineData("InflateMegabytes", "0", "Sandbox:InflateMegabytes=0 must be within 1..4096")]
    [InlineData("PagerLastPage", "2147483648", "Sandbox:PagerLastPage=2147483648 must be 0 (real) or 1..2147483647")]
    [InlineData("MenuCategories", "-1", "Sandbox:MenuCategories=-1 must be 0 (all)")]
    [InlineData("CoverRedirectTo", "/relative", "Sandbox:CoverRedirectTo=/relative must be an absolute URL or self")]
    [InlineData("DripIds", "12,abc", "Sandbox:DripIds must be comma-separated playlist ids; 'abc' is not one")]
    [InlineData("HugeCountIds", "-5", "Sandbox:HugeCountIds must be comma-separated playlist ids; '-5' is not one")]
    [InlineData("Day", "-1", "Sandbox:Day=-1 must be within 0..3650 (days after the generated catalogue)")]
    [InlineData("Day", "3651", "Sandbox:Day=3651 must be within 0..3650")]
    [InlineData("OneTrackRate", "1.5", "Sandbox:OneTrackRate=1.5 must be within 0..1")]
    [InlineData("SongDetailLimit", "0", "Sandbox:SongDetailLimit=0 must be at least 1")]
    [InlineData("OneTrackIds", "7,x", "Sandbox:OneTrackIds must be comma-separated playlist ids; 'x' is not one")]
    [InlineData("ListTotal", "many", "'many'")]
    [InlineData("Seed", "x", "'x'")]
    public void Bad_values_are_refused_with_a_one_line_message(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine([$"--Sandbox:{key}={value}"]).Build();
        var error = Assert.ThrowsAny<ArgumentException>(() => SandboxOptions.From(configuration));
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Day_and_list_options_bind_from_the_command_line_and_default_to_the_honest_day_0()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(
        [
            "--Sandbox:Day=3650", "--Sandbox:ListTotal=-9000000000000", "--Sandbox:ListMoreAlways=true", "--Sandbox:NotAListCategories=说唱, R&B/Soul",
        ]).Build();
        var options = SandboxOptions.From(configuration);
        Assert.Equal((3650, -9_000_000_000_000L, true, "说唱,R&B/Soul"), (options.Day, options.ListTotal, options.ListMoreAlways, options.NotAListCategories));

        var defaults = SandboxOptions.From(new ConfigurationBuilder().Build());
        Assert.Equal((0, 0L, false, ""), (defaults.Day, defaults.ListTotal, defaults.ListMoreAlways, defaults.NotAListCategories));
    }

    [Fact]
    public void Track_options_bind_from_the_command_line_and_default_to_whole_lists()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(
            ["--Sandbox:OneTrackIds=12, 34", "--Sandbox:OneTrackRate=0.25", "--Sandbox:SongDetailLimit=500"]).Build();
        var options = SandboxOptions.From(configuration);
        Assert.Equal(("12,34", 0.25, 500), (options.OneTrackIds, options.OneTrackRate, options.SongDetailLimit));

        var defaults = SandboxOptions.From(new ConfigurationBuilder().Build());
        Assert.Equal(("", 0.0, 1000), (defaults.OneTrackIds, defaults.OneTrackRate, defaults.SongDetailLimit));
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
