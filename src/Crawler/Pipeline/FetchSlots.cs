using System.Runtime.CompilerServices;
using FunctionsCrawler.Configuration;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The one place a process schedules its playlist fetches, whatever the number of messages it runs: about one second of
/// requests at the rate in flight at once (2 to 64). The pacer serves requests in turn, so more in flight would not go
/// faster, only make each playlist wait behind all the others: at 10 req/s, 12 messages of 8 fetches each kept the first
/// playlist from finishing for 25 s.
/// </summary>
public sealed class FetchSlots(IOptions<NetEaseOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Size(options.Value.RequestsPerSecond));

    public void Dispose() => _slots.Dispose();

    public static int Size(double requestsPerSecond) => (int)Math.Clamp(Math.Ceiling(requestsPerSecond), 2, 64);

    /// <summary>Whether the flow running now holds a slot (and has not stepped out of it).</summary>
    private readonly AsyncLocal<StrongBox<bool>?> _held = new();

    /// <summary>Runs <paramref name="fetch"/> once a slot is free, in the order asked.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> fetch, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        var held = new StrongBox<bool>(true);
        _held.Value = held;
        try
        {
            return await fetch();
        }
        finally
        {
            if (held.Value) _slots.Release();
        }
    }

    /// <summary>
    /// Waits for <paramref name="wait"/> with the slot given back meanwhile (a playlist waiting for its songs' batch lets
    /// the next playlist fetch), and takes a slot again before going on. Outside a slot it only waits.
    /// </summary>
    public async Task<T> OutsideAsync<T>(Func<Task<T>> wait, CancellationToken ct)
    {
        if (_held.Value is not { Value: true } held) return await wait();
        held.Value = false;
        _slots.Release();
        try
        {
            return await wait();
        }
        finally
        {
            await _slots.WaitAsync(CancellationToken.None);
            held.Value = true;
        }
    }
}
