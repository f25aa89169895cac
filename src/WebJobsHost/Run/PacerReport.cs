using FunctionsCrawler.Storage;
using System.Globalization;
using FunctionsCrawler.NetEase;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>
/// At stop, one line on what the shared pacer cost this process: requests paced, leases claimed, storage
/// transactions, the time the claims took, turns given up late. Nothing when the pacer is per process or was not used.
/// </summary>
public sealed class PacerReport(HostRateLimiter pacer, TableTurnSchedule schedule) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public Task StopAsync(CancellationToken ct)
    {
        if (Line(pacer, schedule) is { } line) Console.WriteLine(line);
        return Task.CompletedTask;
    }

    public static string? Line(HostRateLimiter pacer, TableTurnSchedule schedule)
    {
        var used = pacer.UsedTurns;
        if (!pacer.IsShared || used == 0) return null;
        var (claims, took) = pacer.Claims;
        return string.Create(CultureInfo.InvariantCulture,
            $"Pacer: {used} requests in {claims} leases of the shared schedule, {schedule.Transactions} storage transactions " +
            $"({(double)schedule.Transactions / used:0.00} per request), {took.TotalMilliseconds / Math.Max(1, claims):0.0} ms per claim, " +
            $"{pacer.SkippedTurns} turns given up late");
    }
}
