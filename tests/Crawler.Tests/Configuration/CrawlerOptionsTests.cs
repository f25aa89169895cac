using FunctionsCrawler.Configuration;
using Xunit;

namespace FunctionsCrawler.Tests.Configuration;

public sealed class CrawlerOptionsTests
{
    [Fact]
    public void Defaults_keep_crawls_30_days_and_clean_up_daily_at_0430()
    {
        var options = new CrawlerOptions();
        Assert.Empty(options.Problems());
        Assert.Equal(TimeSpan.FromDays(30), options.Retention);
        Assert.Equal("0 30 4 * * *", options.CleanupSchedule);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("30 days")]
    [InlineData("")]
    [InlineData("99999999999")]
    public void Retention_days_must_be_a_whole_number_of_at_least_one(string value)
    {
        var problem = Assert.Single(new CrawlerOptions { RetentionDays = value }.Problems());
        Assert.StartsWith("Crawler__RetentionDays must be a whole number", problem);
        Assert.Contains($"got '{value}'", problem);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("365", 365)]
    [InlineData(" 7 ", 7)]
    public void Retention_days_read_as_days(string value, int days)
    {
        var options = new CrawlerOptions { RetentionDays = value };
        Assert.Empty(options.Problems());
        Assert.Equal(TimeSpan.FromDays(days), options.Retention);
    }

    [Fact]
    public void Cleanup_schedule_must_be_six_field_cron() =>
        Assert.StartsWith("Crawler__CleanupSchedule must be a six-field CRON", Assert.Single(new CrawlerOptions { CleanupSchedule = "30 4 * * *" }.Problems()));
}
