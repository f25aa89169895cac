using System.Text.Json.Nodes;

namespace FunctionsCrawler.Infra.Tests;

/// <summary>Every setting the crawler reads is set in Azure, with the defaults of shared/design.md.</summary>
public class AppSettingsTests
{
    [Theory]
    [InlineData("AzureWebJobsStorage__credential")]
    [InlineData("AzureWebJobsStorage__clientId")]
    [InlineData("AzureWebJobsStorage__blobServiceUri")]
    [InlineData("AzureWebJobsStorage__queueServiceUri")]
    [InlineData("AzureWebJobsStorage__tableServiceUri")]
    [InlineData("NetEase__BaseUrl")]
    [InlineData("NetEase__RequestsPerSecond")]
    [InlineData("Crawler__Categories")]
    [InlineData("Crawler__Schedule")]
    [InlineData("Crawler__MaxPages")]
    [InlineData("Crawler__StallSeconds")]
    [InlineData("Crawler__RetentionDays")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")]
    public void Every_configuration_key_the_app_reads_is_set(string setting)
    {
        Assert.True(Deployed.AppSettings.ContainsKey(setting), $"{setting} is missing from the function app settings");
        Assert.False(string.IsNullOrWhiteSpace(Deployed.ResolvedSetting(setting)), $"{setting} is empty");
    }

    [Theory]
    [InlineData("NetEase__BaseUrl", "https://music.163.com")]
    [InlineData("NetEase__RequestsPerSecond", "2")]
    [InlineData("Crawler__Categories", "说唱")]
    [InlineData("Crawler__Schedule", "0 0 3 * * *")]
    [InlineData("Crawler__MaxPages", "0")]
    public void Crawl_settings_are_parameters_defaulting_to_the_design_values(string setting, string expectedDefault)
    {
        var app = Deployed.FunctionApp;
        var parameter = app.Scope.RootParameter(Deployed.AppSettings[setting]);

        Assert.NotNull(parameter);
        var declared = Deployed.Template.Root.Parameters[parameter]!;
        Assert.Equal(expectedDefault, Deployed.AsText(declared["defaultValue"]));
        Assert.False(string.IsNullOrWhiteSpace(Deployed.AsText(declared["metadata"]?["description"])),
            $"main.bicep parameter {parameter} needs a @description");
    }

    [Fact]
    public void Retention_clean_up_keeps_30_days_as_designed() =>
        Assert.Equal("30", Deployed.ResolvedSetting("Crawler__RetentionDays"));

    [Theory]
    [InlineData("Crawler__ResumeSchedule")]
    [InlineData("Crawler__CleanupSchedule")]
    public void Housekeeping_timers_run_on_the_apps_own_schedule_with_no_setting(string setting)
    {
        // Their defaults live in the code only (CrawlSchedules); a copy here could drift from it.
        Assert.False(Deployed.AppSettings.ContainsKey(setting), $"{setting} repeats the app's default schedule");
    }

    [Theory]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME_VERSION")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("WEBSITE_CONTENTSHARE")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("WEBSITE_NODE_DEFAULT_VERSION")]
    [InlineData("SCALE_CONTROLLER_LOGGING_ENABLED")]
    public void Flex_consumption_app_sets_no_setting_the_plan_rejects(string setting)
    {
        Assert.False(Deployed.AppSettings.ContainsKey(setting), $"Flex Consumption does not accept the {setting} app setting");
    }

    [Fact]
    public void No_storage_client_id_setting_besides_the_host_one()
    {
        // The app builds its clients from AzureWebJobsStorage__*; a second client id could drift.
        Assert.DoesNotContain(Deployed.AppSettings.Keys, k => k.StartsWith("Storage__", StringComparison.Ordinal));
    }

    [Fact]
    public void App_setting_values_are_strings()
    {
        foreach (var (name, value) in Deployed.AppSettings)
        {
            Assert.True(value is JsonValue v && v.TryGetValue<string>(out _), $"{name} must be a string (or a string expression)");
        }
    }
}
