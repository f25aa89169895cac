using Microsoft.DurableTask.Client;

namespace FunctionsCrawler.Functions.Status;

/// <summary>
/// The Durable client the progress store and the clean-up use between invocations. The isolated worker hands out a
/// <see cref="DurableTaskClient"/> only through a <c>[DurableClient]</c> binding, so every function that reaches the
/// status entities binds one and gives it to <see cref="Keep"/> before it calls the core. What it binds is a thin
/// per-invocation wrapper (its dispose does nothing) around the gRPC client of the host that the Durable extension
/// keeps for the worker's life, one per task hub and host address; so a kept client stays valid after its invocation
/// ends, and the store's batches go out between invocations and at the worker's shutdown.
/// </summary>
public sealed class DurableClients
{
    private DurableTaskClient? _client;

    /// <summary>Keeps the invocation's client (the latest one wins; null, as in a test without a host, is ignored).</summary>
    public void Keep(DurableTaskClient? client)
    {
        if (client is not null) Volatile.Write(ref _client, client);
    }

    public DurableTaskClient Client => Volatile.Read(ref _client) ?? throw new InvalidOperationException(
        "No Durable client yet: a function that reaches the status entities must bind [DurableClient] DurableTaskClient and pass it to DurableClients.Keep first.");
}
