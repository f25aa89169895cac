using System.Text.Json;

namespace FunctionsCrawler.Functions.Tests;

/// <summary>The <c>functions.metadata</c> the Worker SDK generated next to FunctionsCrawler.Functions.dll: what the Functions host indexes.</summary>
public static class FunctionsMetadata
{
    public static string Path { get; } = System.IO.Path.Combine(
        System.IO.Path.GetDirectoryName(typeof(FunctionsSetup).Assembly.Location)!, "functions.metadata");

    private static readonly Lazy<IReadOnlyDictionary<string, JsonElement>> Functions = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path));
        return doc.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
    });

    public static IReadOnlyCollection<string> Names => Functions.Value.Keys.ToList();

    public static JsonElement Function(string name) =>
        Functions.Value.TryGetValue(name, out var function) ? function : throw new KeyNotFoundException($"No function '{name}' in {Path}.");

    public static IReadOnlyList<JsonElement> Bindings(string name) => Function(name).GetProperty("bindings").EnumerateArray().ToList();

    public static JsonElement Trigger(string name) =>
        Bindings(name).Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    public static string? Text(this JsonElement binding, string property) =>
        binding.TryGetProperty(property, out var value) ? value.GetString() : null;
}
