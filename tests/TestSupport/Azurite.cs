using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace FunctionsCrawler.TestSupport;

/// <summary>
/// A real Azurite (from the repo's node_modules) on free loopback ports, in memory. One process serves many storage
/// accounts: a test takes a fresh account (<see cref="NewAccount"/>) and sees empty queues, tables and containers of
/// its own, so a class or a collection starts Azurite once (<see cref="AzuriteFixture"/>) instead of once per test.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's well-known development key: public, documented, not a secret. Every account here uses it.
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string DefaultAccount = "devstoreaccount1";
    private const int Accounts = 200; // fixed when Azurite starts: more than any class or collection takes
    private Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string? _location;
    private int _accountsTaken;

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    /// <summary>The development account, for a test with an Azurite of its own.</summary>
    public string ConnectionString => ConnectionStringOf(DefaultAccount);

    public StorageAccount Account => new(ConnectionString);

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
        for (var attempt = 1; ; attempt++)
        {
            var azurite = new Azurite(location, FreePort.Next(), FreePort.Next(), FreePort.Next());
            try
            {
                await azurite.WaitReadyAsync();
                return azurite;
            }
            catch (AzuriteExitedException) when (attempt < 3)
            {
                // A free port can be taken before Azurite binds it (by any process's outgoing connection, with the
                // tests beside this one making hundreds): Azurite exits, and starts again on other ports.
                azurite.StopProcess();
            }
        }
    }

    /// <summary>A storage account no other test has used: empty, and apart from every other account's data.</summary>
    public StorageAccount NewAccount()
    {
        var n = Interlocked.Increment(ref _accountsTaken);
        if (n >= Accounts) throw new InvalidOperationException($"all {Accounts} accounts of this Azurite are taken: raise Azurite.Accounts");
        return new StorageAccount(ConnectionStringOf(AccountName(n)));
    }

    private static string AccountName(int n) => n == 0 ? DefaultAccount : $"test{n:D3}";

    private string ConnectionStringOf(string account) =>
        $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={DevKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{account};QueueEndpoint=http://127.0.0.1:{QueuePort}/{account};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{account};";

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
        // The accounts Azurite serves (name:key;…), read when it starts.
        info.Environment["AZURITE_ACCOUNTS"] = string.Join(';', Enumerable.Range(0, Accounts).Select(n => $"{AccountName(n)}:{DevKey}"));
        if (_location is null) info.ArgumentList.Add("--inMemoryPersistence");
        else { info.ArgumentList.Add("--location"); info.ArgumentList.Add(_location); }
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Until Azurite answers on its three ports (30 s at most): its own answer (its <c>Server</c> header), not whatever
    /// took a port first. It exiting meanwhile is said at once, with what it printed.
    /// </summary>
    private async Task WaitReadyAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await AnswersAsync(port))
            {
                if (_process.HasExited)
                    throw new AzuriteExitedException($"Azurite exited with code {_process.ExitCode} before listening on port {port}: {string.Join(" | ", _output)}");
                if (DateTime.UtcNow >= until) throw new TimeoutException($"Azurite did not listen on port {port} within 30 s: {string.Join(" | ", _output)}");
                await Task.Delay(100);
            }
        }
    }

    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };

    private static async Task<bool> AnswersAsync(int port)
    {
        try
        {
            using var response = await Probe.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
            return response.Headers.Server.ToString().StartsWith("Azurite", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private void StopProcess()
    {
        try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        StopProcess();
        if (_location is not null) try { Directory.Delete(_location, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    private sealed class AzuriteExitedException(string message) : Exception(message);
}

/// <summary>One storage account on a shared Azurite.</summary>
public sealed record StorageAccount(string ConnectionString);

/// <summary>
/// Storage for a test class (<c>IClassFixture&lt;AzuriteFixture&gt;</c>) or a collection: one in-memory Azurite per test
/// process, started by the first fixture and stopped when the process exits; each test takes its own account with
/// <see cref="NewAccount"/>. Tests that kill or restart storage start their own
/// (<see cref="Azurite.StartAsync"/> with <c>persistent: true</c>).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private static readonly Lazy<Task<Azurite>> Shared = new(StartSharedAsync);
    private Azurite? _azurite;

    public Azurite Azurite => _azurite ?? throw new InvalidOperationException("the fixture has not started");

    public StorageAccount NewAccount() => Azurite.NewAccount();

    public async Task InitializeAsync() => _azurite = await Shared.Value;

    public Task DisposeAsync() => Task.CompletedTask; // other classes still use it: it stops with the process

    private static async Task<Azurite> StartSharedAsync()
    {
        var azurite = await Azurite.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.DisposeAsync().AsTask().Wait();
        return azurite;
    }
}
