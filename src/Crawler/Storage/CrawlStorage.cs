namespace FunctionsCrawler.Storage;

/// <summary>Creates the crawl's queues, tables and blob container if they are missing.</summary>
public sealed class CrawlStorage(StorageClients storage, CrawlQueues queues, PlaylistTable playlists, CrawlItemTable items, CrawlTable crawls, CoverStore covers,
    PlaylistHistoryTable history, PlaylistTracksTable trackLists, TrackTable tracks)
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
            await history.EnsureCreatedAsync(timeout.Token);
            await trackLists.EnsureCreatedAsync(timeout.Token);
            await tracks.EnsureCreatedAsync(timeout.Token);
            await covers.EnsureCreatedAsync(timeout.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The queue URI carries a SAS token when the connection string has one, and SDK messages may quote it.
            throw new Configuration.CrawlerConfigurationException(Logging.StorageSecrets.Redact(
                $"Storage is unreachable (setting AzureWebJobsStorage; queues at {storage.Queues.Uri}): {Reason(e)}"));
        }
    }

    // The SDK's "Retry failed after 6 tries …" names the cause in its first inner exception.
    private static string Reason(Exception e) => e switch
    {
        OperationCanceledException => "no answer in 30 s",
        AggregateException { InnerExceptions: [var first, ..] } => first.Message.Split('\n')[0],
        _ => e.Message.Split('\n')[0],
    };
}
