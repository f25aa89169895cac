using FunctionsCrawler.Configuration;
using FunctionsCrawler.Logging;
using FunctionsCrawler.WebJobsHost;

// The crawl's triggers on the Azure WebJobs SDK plus its HTTP routes, on http://127.0.0.1:7071: runs where `func` cannot.
var settingsDir = HostSettings.FindSettingsDirectory(new ConfigurationBuilder().AddCommandLine(args).Build()["settings-dir"]);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = settingsDir });
builder.AddCrawlerHost(args, settingsDir);
var app = builder.Build();
app.UseJsonOnlyPosts();
app.MapCrawlRoutes();
app.MapDataRoutes();
try
{
    await app.RunAsync();
}
catch (CrawlerConfigurationException e)
{
    // A wrong setting, from StorageSetup's checks or from the storage clients' construction: one line naming it.
    Console.Error.WriteLine($"error: {SafeText.Of(e.Message)}");
    return StorageSetup.ExitBadSettings;
}
return Environment.ExitCode;
