using Microsoft.Extensions.Hosting;

namespace FunctionsCrawler.Logging;

/// <summary>
/// Whether the host is shutting down. While it is, cancelled steps and the storage errors of a
/// shutdown are expected and not worth a log line: the queue delivers their messages again.
/// </summary>
public sealed class HostStopping
{
    private volatile bool _isStopping;

    public bool IsStopping => _isStopping;

    public void Begin() => _isStopping = true;
}

/// <summary>Sets <see cref="HostStopping"/> when the host starts to stop, before any trigger or step is cancelled.</summary>
// Apart from HostStopping because the loggers need the flag and the lifetime needs a logger.
internal sealed class HostStoppingWatch(IHostApplicationLifetime lifetime, HostStopping stopping) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        lifetime.ApplicationStopping.Register(stopping.Begin);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
