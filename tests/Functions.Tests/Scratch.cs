using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;
using Xunit.Abstractions;

public class Scratch(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.ConfigureFunctionsWebApplication();
        FunctionsCrawler.Functions.FunctionsSetup.AddCrawlerFunctions(builder.Services, builder.Configuration);
        var host = builder.Build();
        output.WriteLine("built");
        output.WriteLine("client: " + (host.Services.GetService<Microsoft.DurableTask.Client.DurableTaskClient>()?.ToString() ?? "none"));
        var ser = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer;
        output.WriteLine("serializer: " + ser);
        foreach (var d in builder.Services.Where(d => d.ServiceType.FullName!.Contains("DurableTask"))) output.WriteLine(d.ServiceType.FullName);
    }
}
