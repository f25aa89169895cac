using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace FunctionsCrawler.Storage;

/// <summary>
/// The Azure SDK clients for the crawl's storage account, built from the same settings the
/// Functions host reads: a connection string in <c>AzureWebJobsStorage</c> (Azurite locally), or
/// identity-based <c>AzureWebJobsStorage__blobServiceUri/__queueServiceUri/__tableServiceUri</c>
/// (with <c>__clientId</c> for a user-assigned identity) on Azure.
/// </summary>
public sealed class StorageClients
{
    public const string ConnectionName = "AzureWebJobsStorage";

    public required BlobServiceClient Blobs { get; init; }
    public required QueueServiceClient Queues { get; init; }
    public required TableServiceClient Tables { get; init; }

    public static StorageClients FromConfiguration(IConfiguration configuration, string name = ConnectionName)
    {
        var connectionString = configuration[name];
        // Azurite accepts API versions up to 2026-06-06; these SDKs default to a newer one.
        var blobOptions = new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06);
        var queueOptions = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06)
        {
            MessageEncoding = QueueMessageEncoding.Base64, // what queue triggers expect
        };
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                return new StorageClients
                {
                    Blobs = new BlobServiceClient(connectionString, blobOptions),
                    Queues = new QueueServiceClient(connectionString, queueOptions),
                    Tables = new TableServiceClient(connectionString),
                };
            }
            catch (FormatException e)
            {
                // Never the value itself: it holds the account key.
                throw new Configuration.CrawlerConfigurationException($"{name} is not a valid storage connection string: {e.Message}");
            }
        }

        var section = configuration.GetSection(name);
        Uri Service(string key) =>
            Uri.TryCreate(section[key], UriKind.Absolute, out var uri)
                ? uri
                : throw new Configuration.CrawlerConfigurationException(
                    $"Storage is not configured: set {name} (a connection string, e.g. UseDevelopmentStorage=true) or {name}__{key}.");
        var credential = Credential(section["clientId"]);
        return new StorageClients
        {
            Blobs = new BlobServiceClient(Service("blobServiceUri"), credential, blobOptions),
            Queues = new QueueServiceClient(Service("queueServiceUri"), credential, queueOptions),
            Tables = new TableServiceClient(Service("tableServiceUri"), credential),
        };
    }

    private static TokenCredential Credential(string? clientId) =>
        string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
}
