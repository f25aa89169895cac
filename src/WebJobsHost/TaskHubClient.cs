using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Extensions.DurableTask.ContextImplementations;
using Microsoft.Azure.WebJobs.Extensions.DurableTask.Options;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>The host's one external client of its Durable task hub, made on first use (the entity sink and the purge share it).</summary>
public sealed class TaskHubClient(IDurableClientFactory factory, IOptions<DurableTaskOptions> durable)
{
    private readonly Lazy<IDurableClient> _client = new(() => factory.CreateClient(new DurableClientOptions
    {
        ConnectionName = Storage.StorageClients.ConnectionName,
        TaskHub = durable.Value.HubName,
        IsExternalClient = true,
    }));

    public IDurableClient Client => _client.Value;
}
