using Microsoft.Extensions.Hosting;

namespace FunctionsCrawler.Sandbox;

/// <summary>
/// Replaces the console lifetime: the site must not take Ctrl+C/SIGTERM from a test process that
/// hosts it. Program.cs handles the signals itself and disposes the site.
/// </summary>
internal sealed class SiteLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
