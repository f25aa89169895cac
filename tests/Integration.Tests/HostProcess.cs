using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>The WebJobs host as its own process (as ./run.sh starts it), with its output kept for failure messages.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    public int Port { get; }
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");
    public string Output => string.Join('\n', _output);

    private HostProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public static HostProcess Start(IDictionary<string, string> settings)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Repo.WebJobsHostDll, "--settings-dir", Repo.Root, "--Urls", $"http://127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repo.Root,
        };
        foreach (var (key, value) in settings) info.ArgumentList.Add($"--{key}={value}");
        var process = new Process { StartInfo = info };
        var host = new HostProcess(process, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) host._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) host._output.Enqueue("err: " + e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"Host still running after {timeout}. Output:\n{Output}"); }
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>GET /api/status once the host listens (within a minute).</summary>
    public async Task<JsonElement> ReadStatusAsync(string path = "api/status")
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try { return await http.GetFromJsonAsync<JsonElement>(path); }
            catch (HttpRequestException) when (DateTime.UtcNow < until && !HasExited) { await Task.Delay(250); }
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> every quarter second until its <c>state</c> is <paramref name="state"/> (and
    /// <paramref name="also"/> holds); the last answer, or a timeout naming the last state seen.
    /// </summary>
    public async Task<JsonElement> WaitForStateAsync(string state, TimeSpan timeout, string path = "api/status", Func<JsonElement, bool>? also = null)
    {
        var until = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < until)
        {
            last = await ReadStatusAsync(path);
            if (last.GetProperty("state").GetString() == state && (also is null || also(last))) return last;
            await Task.Delay(250);
        }
        throw new TimeoutException($"{path}: the state never became {state} within {timeout}; last: {last}\n{Output}");
    }

    /// <summary>Reads /api/status every half second until the host exits; returns every answer.</summary>
    public async Task<List<JsonElement>> WatchStatusAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var seen = new List<JsonElement>();
        while (!HasExited)
        {
            try
            {
                var response = await http.GetAsync("api/status");
                if (response.IsSuccessStatusCode) seen.Add(await response.Content.ReadFromJsonAsync<JsonElement>());
            }
            catch (HttpRequestException) { } // not listening yet, or already stopped
            catch (TaskCanceledException) { }
            await Task.Delay(500);
        }
        return seen;
    }

    /// <summary>SIGINT, as Ctrl+C in a terminal sends it.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    /// <summary>Waits (up to 3 minutes) until the crawl has at least this many playlists done.</summary>
    public async Task WaitForPlaylistsDoneAsync(int minimumDone)
    {
        var until = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < until && !HasExited)
        {
            try
            {
                var s = await ReadStatusAsync();
                if (s.GetProperty("playlists").GetProperty("done").GetInt32() >= minimumDone) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"no progress to {minimumDone} playlists:\n{Output}");
    }

    /// <summary>kill -9: no shutdown, no cleanup.</summary>
    public void KillHard()
    {
        try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } catch (InvalidOperationException) { }
    }

    public ValueTask DisposeAsync()
    {
        try { if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } }
        catch (InvalidOperationException) { }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
