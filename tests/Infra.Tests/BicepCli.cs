using System.Diagnostics;
using System.Reflection;

namespace FunctionsCrawler.Infra.Tests;

/// <summary>Runs the bicep CLI from the Azure.Bicep.CommandLine.linux-x64 NuGet package (its path is
/// baked into this assembly at build time; BICEP_PATH overrides it).</summary>
internal static class BicepCli
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    private static readonly Lazy<string> Executable = new(Locate);

    /// <summary>`bicep build infra/main.bicep --stdout`, run once for the whole test run.</summary>
    public static Lazy<Result> BuildMain { get; } =
        new(() => Run("build", RepoRoot.File("infra", "main.bicep"), "--stdout"));

    /// <summary>`bicep lint infra/main.bicep` (main and every module it references).</summary>
    public static Lazy<Result> LintMain { get; } =
        new(() => Run("lint", RepoRoot.File("infra", "main.bicep")));

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
