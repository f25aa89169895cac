namespace FunctionsCrawler.Infra.Tests;

/// <summary>The checkout the tests run from: the first folder above the test binaries that holds
/// FunctionsCrawler.sln or Directory.Packages.props.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    public static string File(params string[] parts) =>
        System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "FunctionsCrawler.sln"))
                || System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Directory.Packages.props")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No FunctionsCrawler.sln or Directory.Packages.props above {AppContext.BaseDirectory}.");
    }
}
