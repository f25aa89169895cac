using FunctionsCrawler.Hosting;
using FunctionsCrawler.WebJobsHost;

// The crawl's triggers on the Azure WebJobs SDK plus its HTTP routes, on http://127.0.0.1:7071: runs where `func` cannot.
var settingsDir = HostSettings.FindSettingsDirectory(new ConfigurationBuilder().AddCommandLine(args).Build()["settings-dir"]);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = settingsDir });
builder.AddCrawlerHost(args, settingsDir);
var app = builder.Build();
app.MapCrawlRoutes();
app.MapDataRoutes();
return await CrawlerHost.RunAsync(app);
