using Xunit;

namespace FunctionsCrawler.Tests.Parsing.RealCaptures;

/// <summary>
/// Responses saved from the real site by other people (public repositories), kept outside the repo in
/// <c>shared/real163</c> beside the work tree; <c>REAL163_DIR</c> points elsewhere. Read in place, never copied in.
/// </summary>
internal static class RealCapture
{
    public const string EnvironmentVariable = "REAL163_DIR";

    /// <summary>The folder, or null when neither the variable nor a <c>shared/real163</c> above the test's folder exists.</summary>
    public static string? Folder { get; } = Locate();

    /// <summary>Why the captures cannot be read, or null when they can.</summary>
    public static string? Missing { get; } = Folder is null
        ? $"real captures not found: no shared/real163 above {AppContext.BaseDirectory} and {EnvironmentVariable} unset or missing"
        : null;

    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(Folder ?? throw new InvalidOperationException(Missing), name));

    private static string? Locate()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return Directory.Exists(configured) ? configured : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "real163");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>
/// A fact that reads a real capture: skipped, saying why, when the folder is absent (xunit 2 has no Assert.Skip, so
/// the skip is decided when the test is discovered); in CI it runs and fails saying why (<see cref="FunctionsCrawler.TestSupport.Prerequisite"/>).
/// </summary>
public sealed class RealCaptureFactAttribute : FactAttribute
{
    public RealCaptureFactAttribute() => Skip = FunctionsCrawler.TestSupport.Prerequisite.SkipReason(RealCapture.Missing);
}
