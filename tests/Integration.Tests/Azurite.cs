using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>A real Azurite (from the repo's node_modules) on free loopback ports, in memory, for one test class.</summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's well-known development account: public, documented, not a secret.
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    private Azurite(Process process, int blob, int queue, int table)
    {
        _process = process;
        BlobPort = blob; QueuePort = queue; TablePort = table;
    }

    public static async Task<Azurite> StartAsync()
    {
        var bin = Path.Combine(Repo.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(bin))
            throw new InvalidOperationException($"Azurite is not installed at {bin}: run `npm ci` in the repo root (bash .ci/run does).");
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var info = new ProcessStartInfo(bin)
        {
            ArgumentList =
            {
                "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("Azurite did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new Azurite(process, blob, queue, table);
        foreach (var port in new[] { blob, queue, table }) await WaitForPortAsync(port, TimeSpan.FromSeconds(30));
        return azurite;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
