using System.Globalization;
using System.Text.RegularExpressions;

namespace FunctionsCrawler.NetEase;

/// <summary>What a count printed on a page reads as: a number, no number at all, or a number too large for 64 bits.</summary>
internal readonly record struct CountReading(long? Value, bool TooLarge)
{
    public static CountReading None => default;
    public static CountReading Overflow => new(null, true);
    public static CountReading Of(long value) => new(value, false);
}

/// <summary>
/// Reads a count as the site prints it: <c>2034</c>, <c>(2034)</c>, <c>1,234</c>, <c>27万</c>, <c>1.5亿</c>.
/// A word such as <c>评论</c>/<c>收藏</c>/<c>分享</c> (what the site shows for zero) reads as no number;
/// digits past 64 bits read as <see cref="CountReading.TooLarge"/> so the caller can refuse the page instead of guessing.
/// </summary>
internal static partial class CountText
{
    // long.MaxValue has 19 digits: an integer part longer than that cannot fit, whatever follows.
    private const int MaxDigits = 19;

    public static CountReading Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return CountReading.None;
        }

        var match = Number().Match(text.Replace(",", "", StringComparison.Ordinal));
        if (!match.Success)
        {
            return CountReading.None;
        }

        var whole = match.Groups[1].Value.TrimStart('0');
        if (whole.Length > MaxDigits)
        {
            return CountReading.Overflow;
        }

        // At most 19 integer digits, and the fraction cut to 9: always within decimal's range.
        var fraction = match.Groups[2].Value;
        var digits = (whole.Length == 0 ? "0" : whole) + (fraction.Length > 0 ? "." + fraction[..Math.Min(fraction.Length, 9)] : "");
        var number = decimal.Parse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        number *= match.Groups[3].Value switch
        {
            "万" => 10_000m,
            "亿" => 100_000_000m,
            _ => 1m,
        };

        number = decimal.Truncate(number);
        return number > long.MaxValue ? CountReading.Overflow : CountReading.Of((long)number);
    }

    [GeneratedRegex(@"([0-9]+)(?:\.([0-9]+))?\s*(万|亿)?", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
