using System.Runtime.InteropServices;
using FunctionsCrawler.Sandbox;
using Microsoft.Extensions.Configuration;

// Usage: dotnet run --project src/Sandbox -- [--urls http://127.0.0.1:5080 | --port 5080] [--Sandbox:ErrorRate=0.05 ...]
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();
SandboxOptions options;
try
{
    options = SandboxOptions.From(configuration);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message); // one line naming the option and the rule
    return 2;
}
var port = ListenPort.From(configuration);

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop cleanly below instead of being killed mid-response
    stop.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

SandboxSite site;
try
{
    site = await SandboxSite.StartAsync(options, port, ct: stop.Token);
}
catch (IOException error)
{
    // Typically the port is taken: say so in one line rather than with a stack trace.
    Console.Error.WriteLine($"Sandbox site cannot listen on 127.0.0.1:{port}: {error.Message}");
    return 1;
}
await using var running = site;
Console.WriteLine($"Sandbox site listening on {site.BaseUrl.GetLeftPart(UriPartial.Authority)} (seed {options.Seed}, {options.PagesPerCategory} pages per category, day {options.Day})"
    + (options.CoverPort == 0 ? "" : $", covers on {site.CoverBaseUrl.GetLeftPart(UriPartial.Authority)}"));
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Ctrl+C or SIGTERM: fall through to dispose the site.
}
return 0;
