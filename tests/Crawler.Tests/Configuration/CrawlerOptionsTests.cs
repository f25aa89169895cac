using FunctionsCrawler.Hosting;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Progress;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace FunctionsCrawler.Tests.Configuration;

public sealed class CrawlerOptionsTests
{
    private static IEnumerable<string> Problems(CrawlerOptions options) =>
        new CrawlerOptionsValidator().Validate(null, options).Failures ?? [];

    /// <summary>What the start-up check says of these settings (null: nothing wrong), through the options as the hosts bind them.</summary>
    private static string? StartupProblem(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddCrawlerOptions(configuration).BuildServiceProvider();
        try
        {
            services.ValidateCrawlerSettings();
            return null;
        }
        catch (CrawlerConfigurationException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public void Defaults_keep_crawls_30_days_and_clean_up_daily_at_0430()
    {
        var options = new CrawlerOptions();
        Assert.Empty(Problems(options));
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
        var problem = Assert.Single(Problems(new CrawlerOptions { RetentionDays = value }));
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
        Assert.Empty(Problems(options));
        Assert.Equal(TimeSpan.FromDays(days), options.Retention);
    }

    [Fact]
    public void History_is_kept_a_year_by_default_apart_from_the_crawls()
    {
        var options = new CrawlerOptions();
        Assert.Equal(TimeSpan.FromDays(365), options.HistoryRetention);
        Assert.Equal(TimeSpan.FromDays(7), new CrawlerOptions { HistoryDays = "7", RetentionDays = "30" }.HistoryRetention);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("36501")]
    [InlineData("a year")]
    [InlineData("")]
    public void History_days_must_be_a_whole_number_from_1_to_36500_named_by_its_key(string value)
    {
        Assert.Equal($"Crawler__HistoryDays must be a whole number of days from 1 to 36500, got '{value}'.",
            StartupProblem(new() { ["Crawler:HistoryDays"] = value }));
    }

    [Theory]
    [InlineData("Schedule", "30 4 * * *")]
    [InlineData("ResumeSchedule", "*/10 * * * *")]
    [InlineData("CleanupSchedule", "30 4 * * *")]
    [InlineData("ResumeSchedule", "every 10 minutes, please")]
    [InlineData("Schedule", "0 0 3 * * * *")]
    [InlineData("CleanupSchedule", "0 30 4 * * ;rm")]
    public void Every_timer_schedule_must_be_six_field_cron_named_by_its_key(string key, string value)
    {
        Assert.Equal($"Crawler__{key} must be a six-field CRON expression (seconds first), got '{value}'.",
            StartupProblem(new() { [$"Crawler:{key}"] = value }));
    }

    [Theory]
    [InlineData("*/30 * * * * *")]
    [InlineData("0 0 5 * * Sun")]
    [InlineData("0 0,30 9-17 * * MON-FRI")]
    public void Usual_cron_expressions_pass(string value) =>
        Assert.Null(StartupProblem(new() { ["Crawler:ResumeSchedule"] = value }));

    [Fact]
    public void Bound_defaults_pass_and_the_schedules_come_from_one_place()
    {
        Assert.Null(StartupProblem([]));
        var options = new CrawlerOptions();
        Assert.Equal((CrawlSchedules.Producer, CrawlSchedules.StallCheck, CrawlSchedules.CleanUp), (options.Schedule, options.ResumeSchedule, options.CleanupSchedule));
    }

    [Theory]
    [InlineData("NetEase:RequestsPerSecond", "0", "NetEase__RequestsPerSecond must be a number above 0, got 0.")]
    [InlineData("NetEase:BlockPauseSeconds", "0", "NetEase__BlockPauseSeconds must be above 0, got 0.")]
    [InlineData("NetEase:BaseUrl", "music.163.com", "NetEase__BaseUrl must be an absolute http(s) URL, got 'music.163.com'.")]
    [InlineData("NetEase:ListSource", "html", "NetEase__ListSource must be 'page' or 'api', got 'html'.")]
    [InlineData("NetEase:ListPageSize", "0", "NetEase__ListPageSize must be between 1 and 100, got 0.")]
    [InlineData("NetEase:ListPageSize", "101", "NetEase__ListPageSize must be between 1 and 100, got 101.")]
    [InlineData("NetEase:ImageHosts", "127.0.0.1:5081,http://x/", "NetEase__ImageHosts must be comma-separated host:port authorities (e.g. 127.0.0.1:5081), got 'http://x/'.")]
    [InlineData("NetEase:ImageHosts", "a b:1", "NetEase__ImageHosts must be comma-separated host:port authorities (e.g. 127.0.0.1:5081), got 'a b:1'.")]
    [InlineData("NetEase:CoverSize", "39", "NetEase__CoverSize must be 0 (the original) or between 40 and 2000, got 39.")]
    [InlineData("NetEase:CoverSize", "2001", "NetEase__CoverSize must be 0 (the original) or between 40 and 2000, got 2001.")]
    [InlineData("NetEase:CoverSize", "-1", "NetEase__CoverSize must be 0 (the original) or between 40 and 2000, got -1.")]
    [InlineData("NetEase:SongBatchSize", "0", "NetEase__SongBatchSize must be between 1 and 1000, got 0.")]
    [InlineData("NetEase:SongBatchSize", "1001", "NetEase__SongBatchSize must be between 1 and 1000, got 1001.")]
    [InlineData("NetEase:SongBatchSize", "-200", "NetEase__SongBatchSize must be between 1 and 1000, got -200.")]
    [InlineData("Crawler:StallSeconds", "0", "Crawler__StallSeconds must be above 0, got 0.")]
    [InlineData("ProgressStore:ReadTries", "0", "ProgressStore__ReadTries must be 1 or more, got 0.")]
    [InlineData("ProgressStore:FlushEvery", "00:00:00", "ProgressStore__FlushEvery must be above 0 and at most a day (hh:mm:ss), got 00:00:00.")]
    [InlineData("ProgressStore:FirstFlushAfter", "-00:00:01", "ProgressStore__FirstFlushAfter must be 0 or more and at most a day (hh:mm:ss), got -00:00:01.")]
    public void A_wrong_setting_of_any_section_is_one_sentence_naming_it(string key, string value, string message) =>
        Assert.Equal(message, StartupProblem(new() { [key] = value }));

    [Theory]
    [InlineData("NetEase:ListSource", "page")]
    [InlineData("NetEase:ListSource", "API")]
    [InlineData("NetEase:ListPageSize", "1")]
    [InlineData("NetEase:ListPageSize", "100")]
    [InlineData("NetEase:CoverSize", "0")]
    [InlineData("NetEase:CoverSize", "40")]
    [InlineData("NetEase:CoverSize", "2000")]
    [InlineData("NetEase:SongBatchSize", "1")]
    [InlineData("NetEase:SongBatchSize", "1000")]
    [InlineData("Crawler:Tracks", "false")]
    [InlineData("Crawler:Tracks", "True")]
    public void List_and_cover_settings_within_their_range_pass(string key, string value) =>
        Assert.Null(StartupProblem(new() { [key] = value }));

    [Fact]
    public void Tracks_and_songs_are_fetched_by_default_200_songs_a_request()
    {
        Assert.True(new CrawlerOptions().Tracks);
        Assert.Equal(200, new NetEaseOptions().SongBatchSize);
    }

    [Fact]
    public void Tracks_and_song_batch_size_are_bound_from_their_sections()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Crawler:Tracks"] = "false",
            ["NetEase:SongBatchSize"] = "50",
        }).Build();
        using var services = new ServiceCollection().AddCrawlerOptions(configuration).BuildServiceProvider();

        Assert.False(services.GetRequiredService<IOptions<CrawlerOptions>>().Value.Tracks);
        Assert.Equal(50, services.GetRequiredService<IOptions<NetEaseOptions>>().Value.SongBatchSize);
    }

    [Fact]
    public void Wrong_settings_of_several_sections_are_all_named_at_once() =>
        Assert.Equal("NetEase__RequestsPerSecond must be a number above 0, got 0. Crawler__MaxPages must be 0 (all) or more, got -1. ProgressStore__ReadTries must be 1 or more, got 0.",
            StartupProblem(new() { ["NetEase:RequestsPerSecond"] = "0", ["Crawler:MaxPages"] = "-1", ["ProgressStore:ReadTries"] = "0" }));

    [Fact]
    public void Progress_store_settings_are_bound_from_their_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ProgressStore:FlushEvery"] = "00:00:00.250",
            ["ProgressStore:FirstFlushAfter"] = "00:00:00.050",
            ["ProgressStore:ReadTries"] = "5",
            ["ProgressStore:ReadBackoff"] = "00:00:00.200",
            ["ProgressStore:MaxSignalBackoff"] = "00:01:00",
            ["ProgressStore:FinalFlushTimeout"] = "00:00:03",
        }).Build();
        using var services = new ServiceCollection().AddCrawlerOptions(configuration).BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<ProgressStoreOptions>>().Value;
        Assert.Equal((TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(50), 5, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(3)),
            (options.FlushEvery, options.FirstFlushAfter, options.ReadTries, options.ReadBackoff, options.MaxSignalBackoff, options.FinalFlushTimeout));
    }
}
