namespace FunctionsCrawler.TestSupport;

/// <summary>
/// What a test needs from the machine (tmux, the real captures): on a developer's machine a test without it is
/// skipped, saying why; in CI (the CI variable set, as .ci/run runs), where test.sh installs it and the captures lie
/// beside the clone, the test runs and fails with that reason instead, so nothing is skipped silently there.
/// </summary>
public static class Prerequisite
{
    public static bool InCi { get; } =
        Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && !ci.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>The skip reason for a fact attribute: <paramref name="missing"/> outside CI, null (run, and fail) in CI.</summary>
    public static string? SkipReason(string? missing) => missing is null || InCi ? null : missing;
}
