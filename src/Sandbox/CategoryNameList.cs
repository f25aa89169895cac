namespace FunctionsCrawler.Sandbox;

/// <summary>
/// The category names an option names, as comma-separated text (no category name has a comma). The set is
/// replaced whole on every assignment, so a test can change it while the site is serving.
/// </summary>
internal sealed class CategoryNameList
{
    private volatile HashSet<string> _names = new(StringComparer.Ordinal);

    public string Text
    {
        get => string.Join(',', _names);
        set => _names = new HashSet<string>(
            (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
    }

    public bool Contains(string category) => _names.Contains(category);
}
