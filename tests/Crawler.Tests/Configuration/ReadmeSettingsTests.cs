using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Progress;
using Xunit;

namespace FunctionsCrawler.Tests.Configuration;

/// <summary>The README's configuration table lists every setting the code binds, with the code's default, and nothing else.</summary>
public sealed class ReadmeSettingsTests
{
    /// <summary>Settings the hosts read outside the options classes.</summary>
    private static readonly string[] HostSettings = ["AzureWebJobsStorage"];

    private static readonly (string Section, Type Options)[] Sections =
        [(NetEaseOptions.Section, typeof(NetEaseOptions)), (CrawlerOptions.Section, typeof(CrawlerOptions)), (ProgressStoreOptions.Section, typeof(ProgressStoreOptions))];

    /// <summary>Each row of the README's table under "## Configuration": its key and the first value of its default cell.</summary>
    private static Dictionary<string, string> Table()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "README.md")) || !File.Exists(Path.Combine(dir.FullName, "FunctionsCrawler.sln"))) dir = dir.Parent;
        var text = File.ReadAllText(Path.Combine(dir.FullName, "README.md"));
        var section = text[text.IndexOf("## Configuration", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 5, StringComparison.Ordinal)];
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            var cell = cells[2];
            // "(none)" is how the table writes an empty default.
            rows.Add(cells[1].Trim('`'), cell.StartsWith('`') ? cell[1..cell.IndexOf('`', 1)] : cell.StartsWith("(none)", StringComparison.Ordinal) ? "" : cell.Split(' ')[0]);
        }
        return rows;
    }

    private static IEnumerable<(string Key, PropertyInfo Property, object Defaults)> Settings() =>
        from s in Sections
        let defaults = Activator.CreateInstance(s.Options)!
        from p in s.Options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        where p.SetMethod?.IsPublic == true
        select ($"{s.Section}__{p.Name}", p, defaults);

    [Fact]
    public void Every_bound_setting_is_in_the_table_with_the_codes_default()
    {
        var table = Table();
        foreach (var (key, property, defaults) in Settings())
        {
            Assert.True(table.TryGetValue(key, out var written), $"README's configuration table has no row for {key}");
            var parsed = TypeDescriptor.GetConverter(property.PropertyType).ConvertFromString(null, CultureInfo.InvariantCulture, written);
            Assert.True(Equals(property.GetValue(defaults), parsed), $"{key}: README says {written}, the code's default is {property.GetValue(defaults)}");
        }
    }

    [Fact]
    public void The_table_lists_no_setting_the_code_does_not_read() =>
        Assert.Empty(Table().Keys.Except(Settings().Select(s => s.Key)).Except(HostSettings));
}
