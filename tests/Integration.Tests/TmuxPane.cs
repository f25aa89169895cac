using System.Diagnostics;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// A command in a detached tmux pane of a fixed size, on a tmux server of its own: a real pseudo-terminal whose
/// screen can be read as a person sees it (wrapped lines joined), and whose exit status is kept in a file.
/// </summary>
public sealed class TmuxPane : IAsyncDisposable
{
    /// <summary>tmux on PATH, or null.</summary>
    public static string? Tmux { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(dir => Path.Combine(dir, "tmux")).FirstOrDefault(File.Exists);

    private readonly string _socket = "functions-crawler-test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _config;

    /// <summary>Why there is no pane, or null when tmux is installed.</summary>
    public static string? Missing { get; } = Tmux is null
        ? "tmux not found on PATH: the terminal view is tested in a tmux pane (apt-get install tmux; ./test.sh installs it as root)"
        : null;

    private readonly string _status;

    private TmuxPane(string config, string status) => (_config, _status) = (config, status);

    /// <summary>Starts <paramref name="command"/> (a shell command line) in a <paramref name="width"/>×<paramref name="height"/> pane.</summary>
    public static async Task<TmuxPane> StartAsync(int width, int height, string command)
    {
        if (Missing is not null) throw new InvalidOperationException(Missing);
        var config = Path.Combine(Path.GetTempPath(), $"tmux-test-{Guid.NewGuid():N}.conf");
        var status = Path.ChangeExtension(config, ".status");
        // The pane stays after the command exits, and keeps the whole run in its history.
        await File.WriteAllTextAsync(config, "set -g remain-on-exit on\nset -g history-limit 20000\nset -g status off\n");
        var pane = new TmuxPane(config, status);
        // The pane's shell waits for the command (in a subshell, as run.sh's bash waits for the host) and writes its
        // exit status to a file: tmux, under load, has been seen to leave an exited command unreaped (a zombie) and
        // its pane never dead, for minutes.
        await pane.RunAsync("new-session", "-d", "-x", width.ToString(), "-y", height.ToString(), "-s", "view",
            $"({command}); echo $? > {Quote(status)}");
        return pane;
    }

    /// <summary>The visible screen, one string per row (a row the terminal wrapped is joined to the next).</summary>
    public async Task<string[]> ScreenAsync() => Lines(await RunAsync("capture-pane", "-p", "-J", "-t", "view"));

    /// <summary>Everything the pane showed: the history that scrolled off the top, then the screen.</summary>
    public async Task<string[]> HistoryAsync() => Lines(await RunAsync("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", "view"));

    /// <summary>The command's exit status once it has exited, else null.</summary>
    public async Task<int?> ExitStatusAsync() =>
        File.Exists(_status) && int.TryParse(await File.ReadAllTextAsync(_status), out var status) ? status : null;

    private static string[] Lines(string text) => text.TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToArray();

    private async Task<string> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Tmux!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-L", _socket, "-f", _config }.Concat(args)) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', args)}: {await error}");
        return await output;
    }

    /// <summary>Quotes a word for the pane's shell.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";

    public async ValueTask DisposeAsync()
    {
        try { await RunAsync("kill-server"); } catch (InvalidOperationException) { } // this test's server only
        File.Delete(_config);
        File.Delete(_status);
    }
}

/// <summary>
/// A fact that needs tmux: skipped, saying why, when it is not installed (decided when the test is discovered); in CI
/// it runs and fails saying why (<see cref="Prerequisite"/>).
/// </summary>
public sealed class TmuxFactAttribute : FactAttribute
{
    public TmuxFactAttribute() => Skip = Prerequisite.SkipReason(TmuxPane.Missing);
}
