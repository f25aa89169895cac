using FunctionsCrawler.Logging;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FunctionsCrawler.Functions.Tests;

public sealed class WorkerLoggingTests
{
    [Fact]
    public async Task Every_logger_provider_of_the_worker_writes_through_the_safe_log_sink()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddCrawlerFunctions(builder.Configuration);
        await using var services = builder.Services.BuildServiceProvider();

        var providers = services.GetServices<ILoggerProvider>().ToList();
        Assert.NotEmpty(providers);
        Assert.All(providers, p => Assert.IsType<SafeLoggerProvider>(p));
        services.GetRequiredService<ILoggerFactory>().CreateLogger("check").LogInformation("worker logs \u001b[2J");
    }
}
