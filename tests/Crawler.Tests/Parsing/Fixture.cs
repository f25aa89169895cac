namespace FunctionsCrawler.Tests.Parsing;

/// <summary>Saved site responses under Fixtures/, copied next to the test assembly.</summary>
internal static class Fixture
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
