using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>A real Azurite (from the repo's node_modules) on free loopback ports, in memory, for one test class.</summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's well-known development account: public, documented, not a secret.
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private Process _process;
    private readonly string? _location;

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    private Azurite(string? location, int blob, int queue, int table)
    {
        _location = location;
        BlobPort = blob; QueuePort = queue; TablePort = table;
        _process = Launch();
    }

    /// <summary>Starts Azurite in memory, or with its data in a temporary folder when it must survive a restart.</summary>
    public static async Task<Azurite> StartAsync(bool persistent = false)
    {
        var location = persistent ? Directory.CreateTempSubdirectory("azurite-").FullName : null;
        var azurite = new Azurite(location, FreePort(), FreePort(), FreePort());
        await azurite.WaitReadyAsync();
        return azurite;
    }

    /// <summary>kill -9, then start again on the same ports and data (persistent only).</summary>
    public async Task KillAndRestartAsync()
    {
        if (_location is null) throw new InvalidOperationException("an in-memory Azurite loses everything when killed");
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = Launch();
        await WaitReadyAsync();
    }

    private Process Launch()
    {
        var bin = Path.Combine(Repo.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(bin))
            throw new InvalidOperationException($"Azurite is not installed at {bin}: run `npm ci` in the repo root (./test.sh does).");
        var info = new ProcessStartInfo(bin)
        {
            ArgumentList =
            {
                "--silent", "--skipApiVersionCheck", "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (_location is null) info.ArgumentList.Add("--inMemoryPersistence");
        else { info.ArgumentList.Add("--location"); info.ArgumentList.Add(_location); }
        var process = Process.Start(info) ?? throw new InvalidOperationException("Azurite did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitReadyAsync()
    {
        foreach (var port in new[] { BlobPort, QueuePort, TablePort }) await WaitForPortAsync(port, TimeSpan.FromSeconds(30));
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
        if (_location is not null) try { Directory.Delete(_location, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
