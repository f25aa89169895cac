using System.Reflection;

namespace FunctionsCrawler.TestSupport;

public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration these tests were built in (the WebJobs host is built alongside).</summary>
    public static string Configuration { get; } =
        typeof(Repo).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string WebJobsHostDll =>
        Path.Combine(Root, "src", "WebJobsHost", "bin", Configuration, "net10.0", "FunctionsCrawler.WebJobsHost.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FunctionsCrawler.sln"))) return dir.FullName;
        throw new InvalidOperationException("FunctionsCrawler.sln not found above " + AppContext.BaseDirectory);
    }
}
