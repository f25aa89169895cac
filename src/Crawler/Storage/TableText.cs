using System.Globalization;
using FunctionsCrawler.NetEase;

namespace FunctionsCrawler.Storage;

/// <summary>
/// Cuts a playlist's text to what a Table storage property holds (64 KiB, i.e. 32,768 UTF-16 characters),
/// so hostile sizes cannot make the row unwritable; each cut is named so it can be logged and kept with the row.
/// </summary>
public static class TableText
{
    /// <summary>Characters kept per text field: under the 32,768 a property holds, leaving room for the cut mark.</summary>
    public const int MaxChars = 32_000;

    public static (PlaylistDetail Detail, string? Cut) Fit(PlaylistDetail detail)
    {
        var cuts = new List<string>();
        string Keep(string field, string value, int max = MaxChars)
        {
            if (value.Length <= max) return value;
            cuts.Add(string.Create(CultureInfo.InvariantCulture, $"{field} {value.Length:N0}→{max:N0} characters"));
            // Never split a surrogate pair: an emoji cut in half would not be valid UTF-16.
            var end = char.IsHighSurrogate(value[max - 1]) ? max - 1 : max;
            return value[..end];
        }

        var tags = detail.Tags;
        if (string.Join(';', tags).Length > MaxChars)
        {
            var kept = new List<string>();
            var length = 0;
            foreach (var tag in tags)
            {
                if (length + tag.Length + 1 > MaxChars) break;
                kept.Add(tag);
                length += tag.Length + 1;
            }
            cuts.Add($"tags {tags.Count}→{kept.Count}");
            tags = kept;
        }

        var fitted = detail with
        {
            Name = Keep("name", detail.Name),
            CreatorNickname = detail.CreatorNickname is { } nickname ? Keep("creator nickname", nickname) : null,
            Description = Keep("description", detail.Description),
            // A longer cover URL is not fetched (NetEaseClient.MaxCoverUrlLength); what is kept of it is only a record.
            CoverUrl = detail.CoverUrl is { } url ? Keep("cover URL", url, NetEaseClient.MaxCoverUrlLength) : null,
            Tags = tags,
        };
        return (fitted, cuts.Count == 0 ? null : string.Join("; ", cuts));
    }

    /// <summary>A song's text cut to <see cref="MaxChars"/> (never inside a surrogate pair): a track has no cut column, the name alone is kept.</summary>
    public static string Cap(string value)
    {
        if (value.Length <= MaxChars) return value;
        return value[..(char.IsHighSurrogate(value[MaxChars - 1]) ? MaxChars - 1 : MaxChars)];
    }
}
