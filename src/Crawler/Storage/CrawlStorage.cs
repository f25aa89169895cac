namespace FunctionsCrawler.Storage;

/// <summary>Creates the crawl's queues, tables and blob container if they are missing.</summary>
public sealed class CrawlStorage(StorageClients storage, CrawlQueues queues, PlaylistTable playlists, CrawlItemTable items, CrawlTable crawls, CoverStore covers)
{
    /// <summary>Creates everything, or throws one clear message naming the storage setting.</summary>
    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await queues.EnsureCreatedAsync(timeout.Token);
            await playlists.EnsureCreatedAsync(timeout.Token);
            await items.EnsureCreatedAsync(timeout.Token);
            await crawls.EnsureCreatedAsync(timeout.Token);
            await covers.EnsureCreatedAsync(timeout.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            throw new Configuration.CrawlerConfigurationException(
                $"Storage is unreachable (setting AzureWebJobsStorage; queues at {storage.Queues.Uri}): {(e is OperationCanceledException ? "no answer in 30 s" : e.Message.Split('\n')[0])}");
        }
    }
}
