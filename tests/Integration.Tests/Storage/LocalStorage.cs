using FunctionsCrawler.Storage;
using Microsoft.Extensions.Configuration;

namespace FunctionsCrawler.Integration.Tests.Storage;

/// <summary>The crawler's storage clients on a test's own Azurite.</summary>
public static class LocalStorage
{
    public static StorageClients Clients(StorageAccount azurite) =>
        StorageClients.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageClients.ConnectionName] = azurite.ConnectionString })
            .Build());
}
