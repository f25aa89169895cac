using System.Net.Sockets;

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
            if (await RefusedAsync(storage.Queues.Uri, timeout.Token) is { } refused) throw new StorageRefusedException(refused);
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

    /// <summary>
    /// Nothing listening at the storage endpoint (Azurite not started, a wrong port) refuses the connection at once, but
    /// the SDK retries that for about 25 s before saying so: one connection attempt first says it in a second. Anything
    /// else (it connects, it times out, the name does not resolve) goes on to the SDK and its retries.
    /// </summary>
    private static async Task<string?> RefusedAsync(Uri endpoint, CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(TimeSpan.FromSeconds(3));
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, attempt.Token);
            return null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return $"Connection refused ({endpoint.Host}:{endpoint.Port})";
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private sealed class StorageRefusedException(string message) : Exception(message);

    // The SDK's "Retry failed after 6 tries …" names the cause in its first inner exception.
    private static string Reason(Exception e) => e switch
    {
        OperationCanceledException => "no answer in 30 s",
        AggregateException { InnerExceptions: [var first, ..] } => first.Message.Split('\n')[0],
        _ => e.Message.Split('\n')[0],
    };
}
