using System.Diagnostics;
using System.Reflection;

namespace FunctionsCrawler.Infra.Tests;

/// <summary>Runs the bicep CLI from the Azure.Bicep.CommandLine.linux-x64 NuGet package (its path is
/// baked into this assembly at build time; BICEP_PATH overrides it).</summary>
internal static class BicepCli
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    private static readonly Lazy<string> Executable = new(Locate);

    /// <summary>
    /// The CLI's three runs the tests read, each once for the whole test run, all started at the first use of any: each
    /// is seconds of the CLI's own start-up, and one after another they were most of this project's time.
    /// </summary>
    private static readonly Lazy<(Task<Result> BuildMain, Task<Result> LintMain, Task<Result> BuildResources)> Runs = new(() => (
        Task.Run(() => Run("build", RepoRoot.File("infra", "main.bicep"), "--stdout")),
        Task.Run(() => Run("lint", RepoRoot.File("infra", "main.bicep"))),
        Task.Run(() => Run("build", RepoRoot.File("infra", "resources.bicep"), "--stdout"))));

    /// <summary>`bicep build infra/main.bicep --stdout`.</summary>
    public static Lazy<Result> BuildMain { get; } = new(() => Runs.Value.BuildMain.GetAwaiter().GetResult());

    /// <summary>`bicep lint infra/main.bicep` (main and every module it references).</summary>
    public static Lazy<Result> LintMain { get; } = new(() => Runs.Value.LintMain.GetAwaiter().GetResult());

    /// <summary>`bicep build infra/resources.bicep --stdout` (the module alone, for resource-group deployments).</summary>
    public static Lazy<Result> BuildResources { get; } = new(() => Runs.Value.BuildResources.GetAwaiter().GetResult());

    public static Result Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot.Path,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish in 3 minutes.");
        }

        return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string Locate()
    {
        var path = Environment.GetEnvironmentVariable("BICEP_PATH");
        if (string.IsNullOrEmpty(path))
        {
            path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "BicepPath")?.Value;
        }

        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new FileNotFoundException(
                $"bicep binary not found at '{path}'. Restore Azure.Bicep.CommandLine.linux-x64 or set BICEP_PATH.");
        }

        // NuGet extraction does not always keep the executable bit.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }

        return path;
    }
}
