using System.Globalization;
using System.Text;

namespace FunctionsCrawler.Configuration;

/// <summary>
/// What a category is: a name as the site's menu shows one (说唱, 欧美, R&amp;B/Soul, 另类/独立, New Age, 90后, ACG), never data.
/// A category becomes a table key, a queue message, a URL and a log line, so every entry refuses anything else: the
/// routes (400), the settings (exit 2), the timer, and the site's own menu and catalogue (skipped with a warning).
/// </summary>
public static class CategoryNames
{
    public const int MaxLength = 40;

    /// <summary>Categories one request (or <c>Crawler__Categories</c>) may name; <c>all</c> counts as one.</summary>
    public const int MaxPerRequest = 100;

    /// <summary>Categories kept from the site's menu or catalogue (it lists about 70).</summary>
    public const int MaxFromMenu = 200;

    /// <summary>
    /// Marks allowed besides letters, digits and the space: the real menu holds '&amp;' and '/' (R&amp;B/Soul, 另类/独立);
    /// '+', '-' and '·' are kept for names of the same kind (K-Pop, 华语·流行).
    /// </summary>
    public const string Marks = "&/+-·";

    /// <summary>The rule, as every refusal ends.</summary>
    public const string Rule = "a category is 1 to 40 letters, digits, spaces and & / + - ·";

    /// <summary>Why <paramref name="name"/> (already trimmed) is not a category name, or null when it is one.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "it is empty";
        var length = 0;
        foreach (var _ in name.EnumerateRunes()) length++;
        if (length > MaxLength) return $"it is {length.ToString(CultureInfo.InvariantCulture)} characters long";
        foreach (var rune in name.EnumerateRunes())
            if (!IsAllowed(rune)) return $"it holds {Describe(rune)}";
        return null;
    }

    /// <summary>
    /// The first problem of a list of names given as <paramref name="what"/> (<c>categories</c>,
    /// <c>Crawler__Categories</c>), in one line naming the entry, its index and why; null when every entry is a name and
    /// there are at most <paramref name="max"/>. Each name is judged trimmed, as the crawl uses it.
    /// </summary>
    public static string? ProblemOf(IReadOnlyList<string?> names, int max, string what)
    {
        if (names.Count > max)
            return $"{what} may name at most {max.ToString(CultureInfo.InvariantCulture)} categories, got {names.Count.ToString(CultureInfo.InvariantCulture)}.";
        for (var i = 0; i < names.Count; i++)
            if (Problem(names[i]?.Trim()) is { } why)
                return $"{what}[{i.ToString(CultureInfo.InvariantCulture)}] ('{Preview(names[i])}') is not a category name: {why}; {Rule}.";
        return null;
    }

    /// <summary>Throws <see cref="CrawlerConfigurationException"/> (a 400 at a route) with <see cref="ProblemOf"/>'s line.</summary>
    public static void Check(IReadOnlyList<string?> names, int max, string what)
    {
        if (ProblemOf(names, max, what) is { } problem) throw new CrawlerConfigurationException(problem);
    }

    /// <summary>
    /// A name quoted back in one line: at most 20 characters, C0 controls as their pictures (␊, ␀, ␛), anything else that
    /// is not allowed as �, so the quote itself carries no line break, escape or direction override.
    /// </summary>
    public static string Preview(string? name)
    {
        if (name is null) return "null";
        var sb = new StringBuilder();
        var count = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (++count > 20) return sb.Append('…').ToString();
            if (IsAllowed(rune)) sb.Append(rune.ToString());
            else if (rune.Value < 0x20) sb.Append((char)(0x2400 + rune.Value));
            else sb.Append('\uFFFD');
        }
        return sb.ToString();
    }

    private static bool IsAllowed(Rune rune) =>
        Rune.IsLetter(rune) || Rune.IsDigit(rune) || rune.Value == ' ' || (rune.IsBmp && Marks.Contains((char)rune.Value, StringComparison.Ordinal));

    private static string Describe(Rune rune)
    {
        var code = $"U+{rune.Value.ToString("X4", CultureInfo.InvariantCulture)}";
        return rune.Value switch
        {
            '\n' or '\r' or 0x2028 or 0x2029 or 0x85 => $"a line break ({code})",
            0 => $"a NUL ({code})",
            0x1B => $"an escape ({code})",
            _ when Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator => $"a control character ({code})",
            _ => $"'{rune}' ({code})",
        };
    }
}
