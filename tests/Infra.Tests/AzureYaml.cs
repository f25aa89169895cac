namespace FunctionsCrawler.Infra.Tests;

/// <summary>Just enough of azure.yaml (nested "key: value" mappings) to check what azd will do.</summary>
internal sealed class AzureYaml
{
    private AzureYaml(Dictionary<string, string> values) => Values = values;

    /// <summary>Scalars by dotted path, e.g. "services.crawler.project".</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    public IReadOnlyList<string> Services =>
        Values.Keys.Where(k => k.StartsWith("services.", StringComparison.Ordinal))
            .Select(k => k.Split('.')[1]).Distinct().ToList();

    public static AzureYaml Read()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = new List<(int Indent, string Key)>();
        foreach (var raw in File.ReadAllLines(RepoRoot.File("azure.yaml")))
        {
            var line = raw.Split(" #")[0].TrimEnd();
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var indent = line.Length - line.TrimStart().Length;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            path.RemoveAll(p => p.Indent >= indent);
            var key = line[indent..colon].Trim();
            var value = line[(colon + 1)..].Trim().Trim('"', '\'');
            path.Add((indent, key));
            values[string.Join('.', path.Select(p => p.Key))] = value;
        }

        return new AzureYaml(values);
    }
}
