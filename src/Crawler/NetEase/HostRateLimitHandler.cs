using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// One limiter per host, for the life of the process. A bucket of one token, refilled every
/// <c>1 / rate</c> seconds, means no burst can exceed the rate, even after an idle spell.
/// </summary>
public sealed class HostRateLimiter(double requestsPerSecond) : IDisposable
{
    private readonly ConcurrentDictionary<string, RateLimiter> _limiters = new(StringComparer.OrdinalIgnoreCase);

    public double RequestsPerSecond { get; } = requestsPerSecond;

    public async ValueTask<RateLimitLease> AcquireAsync(string host, CancellationToken ct)
    {
        var lease = await _limiters.GetOrAdd(host, _ => Create(RequestsPerSecond)).AcquireAsync(1, ct).ConfigureAwait(false);
        if (lease.IsAcquired) return lease;
        lease.Dispose();
        throw new HttpRequestException($"Rate limiter queue for {host} is full.");
    }

    public static RateLimiter Create(double requestsPerSecond) =>
        new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / requestsPerSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values) limiter.Dispose();
    }
}

/// <summary>
/// Waits for the host's limiter before each request. It sits inside the resilience pipeline,
/// so every attempt, retries included, waits its turn.
/// </summary>
public sealed class HostRateLimitHandler(HostRateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var lease = await limiter.AcquireAsync(request.RequestUri?.Authority ?? "", cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
