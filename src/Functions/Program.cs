using FunctionsCrawler.Functions;
using FunctionsCrawler.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;

// The crawl on the Azure Functions isolated worker: what `func start` runs and what is deployed to Azure.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddCrawlerFunctions(builder.Configuration);
return await CrawlerHost.RunAsync(builder.Build());
