using System.Globalization;

namespace FunctionsCrawler.Sandbox;

/// <summary>
/// The playlist ids an option names, as comma-separated text. The set is replaced whole on every
/// assignment, so a test can change it while the site is serving.
/// </summary>
internal sealed class PlaylistIdList(string option)
{
    private volatile HashSet<long> _ids = [];

    public string Text
    {
        get => string.Join(',', _ids);
        set => _ids = Parse(value);
    }

    public bool Contains(long id) => _ids.Contains(id);

    private HashSet<long> Parse(string? text)
    {
        var ids = new HashSet<long>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                throw new ArgumentException($"Sandbox:{option} must be comma-separated playlist ids; '{part}' is not one", option);
            ids.Add(id);
        }
        return ids;
    }
}
