using System.Globalization;
using System.Text.Json;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// Reads the JSON catalogue (<c>/api/playlist/catalogue</c> → <c>{"code":200,"sub":[{"name","category":k,…}],
/// "categories":{"0":"语种",…}}</c>) into the categories it lists. No capture of it is at hand: nothing in it is trusted.
/// </summary>
public static class CatalogueParser
{
    /// <summary>Far more than the site's ~70 categories; a longer list is not what we think it is, and each is a crawl.</summary>
    public const int MaxCategories = 200;

    /// <summary>
    /// Ok with the catalogue's categories in its order, each once, each with its group (<c>categories[category]</c>) when
    /// the catalogue names one. Names go through the menu's rules (<see cref="CategoryMenu.CleanName"/>): an entry without
    /// a usable name (not text, control characters, markup, over 40 characters, 全部 or <c>all</c>) is dropped, and at most
    /// <see cref="MaxCategories"/> are kept; either is said in one line in <see cref="PageResult{T}.Reason"/>.
    /// Blocked / Gone as <see cref="ResponseClassifier"/> says; Malformed when the body is not a JSON object, carries an
    /// unknown non-200 code, has no <c>sub</c> array, or names no usable category.
    /// </summary>
    public static PageResult<IReadOnlyList<PlaylistCategory>> Parse(int httpStatus, string body) =>
        JsonAnswer.Read(httpStatus, body, Read);

    private static PageResult<IReadOnlyList<PlaylistCategory>> Read(JsonElement root)
    {
        if (!root.TryGetProperty("sub", out var sub))
        {
            return PageResult<IReadOnlyList<PlaylistCategory>>.Malformed("catalogue has no sub list");
        }

        if (sub.ValueKind != JsonValueKind.Array)
        {
            return PageResult<IReadOnlyList<PlaylistCategory>>.Malformed($"catalogue's sub is {sub.ValueKind}, not an array");
        }

        var groups = ReadGroups(root);
        var categories = new List<PlaylistCategory>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int entries = 0, dropped = 0, over = 0;
        foreach (var entry in sub.EnumerateArray())
        {
            entries++;
            var name = entry.ValueKind == JsonValueKind.Object ? CategoryMenu.CleanName(JsonAnswer.ReadString(entry, "name")) : null;
            if (name is null || CategoryMenu.IsAll(name))
            {
                dropped++;
                continue;
            }

            if (!seen.Add(name))
            {
                continue;
            }

            if (categories.Count == MaxCategories)
            {
                over++;
                continue;
            }

            categories.Add(new PlaylistCategory(name, GroupOf(entry, groups)));
        }

        if (categories.Count == 0)
        {
            return PageResult<IReadOnlyList<PlaylistCategory>>.Malformed(entries == 0
                ? "catalogue names no category"
                : $"catalogue names no usable category ({entries} entries, none with a usable name)");
        }

        var notes = new List<string>(2);
        if (dropped > 0) notes.Add($"dropped {dropped} of {entries} catalogue entries without a usable name");
        if (over > 0) notes.Add($"kept the first {MaxCategories} of {MaxCategories + over} categories");
        return new PageResult<IReadOnlyList<PlaylistCategory>>(PageOutcome.Ok, categories, notes.Count == 0 ? null : string.Join("; ", notes));
    }

    /// <summary><c>categories</c>: group names by their key ("0" → 语种), cleaned like category names.</summary>
    private static Dictionary<string, string> ReadGroups(JsonElement root)
    {
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonAnswer.TryGetObject(root, "categories", out var names))
        {
            foreach (var group in names.EnumerateObject())
            {
                if (group.Value.ValueKind == JsonValueKind.String && CategoryMenu.CleanName(JsonAnswer.Text(group.Value)) is { } name
                    && JsonAnswer.NameOf(group) is { } key)
                {
                    groups[key] = name;
                }
            }
        }

        return groups;
    }

    private static string? GroupOf(JsonElement entry, Dictionary<string, string> groups)
    {
        var key = entry.TryGetProperty("category", out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.String => JsonAnswer.Text(value),
            _ => null,
        } : null;
        return key is not null && groups.TryGetValue(key, out var group) ? group : null;
    }
}
