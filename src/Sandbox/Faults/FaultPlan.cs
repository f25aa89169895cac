namespace FunctionsCrawler.Sandbox.Faults;

/// <summary>
/// Decides, request by request, whether the site answers normally, with a server error or with a block.
/// One seeded RNG behind a lock, so a run with the same seed and request order gets the same faults.
/// </summary>
internal sealed class FaultPlan(SandboxOptions options, FaultResponses responses, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Random _random = new(options.Seed);
    private int _sinceBlock;
    private DateTimeOffset? _blockedUntil;
    private int _turn;

    /// <summary>The fault to answer with, or null to serve the request normally.</summary>
    public CannedResponse? Decide(RequestKind kind)
    {
        lock (_gate)
        {
            if (kind.CanBeBlocked() && options.BlockAfterRequests > 0 && Block() is { } block)
                return block;
            if (options.ErrorRate > 0 && _random.NextDouble() < options.ErrorRate)
                return FaultResponses.ServerError(_random.Next(2) == 0 ? 500 : 502);
            return null;
        }
    }

    /// <summary>
    /// Requests 1..N pass; request N+1 opens a window of BlockForSeconds in which every page/API request
    /// gets a block (the next shape in turn when rotating); after the window the count starts again.
    /// </summary>
    private CannedResponse? Block()
    {
        var now = time.GetUtcNow();
        if (_blockedUntil is { } until)
        {
            if (now < until)
                return responses.Block(_turn++);
            _blockedUntil = null;
            _sinceBlock = 0;
        }
        if (++_sinceBlock <= options.BlockAfterRequests)
            return null;
        _blockedUntil = now.AddSeconds(options.BlockForSeconds);
        _turn = 1;
        return responses.Block(0);
    }
}
