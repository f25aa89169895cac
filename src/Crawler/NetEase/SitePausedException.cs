namespace FunctionsCrawler.NetEase;

/// <summary>
/// A request the pacer held back because the crawl is paused (a block seen here, or announced by another process):
/// it never left, so it cost the site nothing. The client answers it as a block that was not sent
/// (<see cref="PageResult{T}.Held"/>), and the step puts its work back until <see cref="Until"/>.
/// </summary>
public sealed class SitePausedException(DateTimeOffset until)
    : Exception($"not sent: the crawl is paused until {until:HH:mm:ss} UTC")
{
    public DateTimeOffset Until { get; } = until;
}
