using FunctionsCrawler.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The crawl on the Azure Functions isolated worker: what `func start` runs and what is deployed to Azure.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddCrawlerFunctions(builder.Configuration);
builder.Build().Run();
