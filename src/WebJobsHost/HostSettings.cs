using System.Text.Json;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>
/// Reads the same files the Functions host reads: <c>host.json</c> (extension settings) and
/// <c>local.settings.json</c> (<c>Values</c>, where <c>Crawler__MaxPages</c> means <c>Crawler:MaxPages</c>).
/// </summary>
public static class HostSettings
{
    /// <summary>The folder holding host.json: <c>--settings-dir</c>, else the first one up from the working directory or the app.</summary>
    public static string FindSettingsDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "host.json"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>local.settings.json's Values as configuration keys (missing file: none).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> LocalValues(string directory)
    {
        var path = Path.Combine(directory, "local.settings.json");
        if (!File.Exists(path)) yield break;
        using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!doc.RootElement.TryGetProperty("Values", out var values)) yield break;
        foreach (var value in values.EnumerateObject())
            yield return new(value.Name.Replace("__", ":", StringComparison.Ordinal), value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.GetRawText());
    }
}
