using System.Globalization;
using System.Text.Json;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// Reads a category's JSON list (<c>/api/playlist/list</c> → <c>{"code":200,"playlists":[…],"total":N,"more":bool}</c>):
/// its playlists, each with every field of its row when the item carries them all (<see cref="ListedPlaylist.Detail"/>,
/// built by the same reader as the JSON detail), and the pages the category has.
/// </summary>
public static class PlaylistListParser
{
    /// <summary>Problem lines kept per answer; the rest are counted in one more line.</summary>
    public const int MaxProblems = 20;

    /// <summary>An <c>updateTime</c> further ahead of the caller's clock than this is noted as a problem.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    /// <summary>
    /// Blocked / Gone as <see cref="ResponseClassifier"/> says (a -460, -462, 405/406 code, HTTP 503, an empty body…).
    /// Malformed, with one line saying what was wrong, when the body is not JSON, its root is not an object, it carries an
    /// unknown non-200 code, <c>playlists</c> is missing, null or not an array, or no item of a non-empty list has an id.
    /// Otherwise Ok: each playlist once, in answer order (repeats counted in <see cref="ListPage.Repeats"/>); items without a
    /// whole-number id above 0 are skipped with a line in <see cref="ListPage.Problems"/>. <see cref="ListPage.TotalPages"/>
    /// is <c>total</c> ÷ <paramref name="limit"/> rounded up (at least 1); without a usable <c>total</c> it is
    /// <see cref="int.MaxValue"/> when <c>more</c> is true (the caller caps pages per category), else 1, with a line
    /// naming the bad <c>total</c>. <paramref name="now"/> is the clock an <c>updateTime</c> in the future is judged by.
    /// </summary>
    public static PageResult<ListPage> Parse(int httpStatus, string body, int limit, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return JsonAnswer.Read(httpStatus, body, root => Read(root, limit, now));
    }

    private static PageResult<ListPage> Read(JsonElement root, int limit, DateTimeOffset now)
    {
        if (!root.TryGetProperty("playlists", out var items))
        {
            return PageResult<ListPage>.Malformed("list answer has no playlists");
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            return PageResult<ListPage>.Malformed($"list answer's playlists is {items.ValueKind}, not an array");
        }

        var problems = new ProblemLines(MaxProblems);
        var playlists = new List<ListedPlaylist>();
        var seen = new HashSet<long>();
        int count = 0, skipped = 0, repeats = 0;
        foreach (var item in items.EnumerateArray())
        {
            count++;
            if (item.ValueKind != JsonValueKind.Object)
            {
                skipped++;
                problems.Add($"item {count} is {item.ValueKind}, not a playlist object: skipped");
                continue;
            }

            var playlist = PlaylistJson.Read(item);
            if (playlist.Id is not { } id || id <= 0)
            {
                skipped++;
                problems.Add($"item {count} has no playlist id ({playlist.IdTrouble ?? $"id {playlist.Id} is not above 0"}): skipped");
                continue;
            }

            if (!seen.Add(id))
            {
                repeats++;
                continue;
            }

            if (playlist.UpdatedAt is { } updated && updated > now + FutureTolerance)
            {
                problems.Add($"playlist {id}: updateTime {updated.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)} is in the future");
            }

            playlists.Add(new ListedPlaylist(id, playlist.Name ?? "", playlist.CoverUrl, playlist.CreatorId, playlist.CreatorNickname)
            {
                Detail = playlist.Incomplete is null ? playlist.ToDetail(id) : null,
                Incomplete = playlist.Incomplete,
                TracksUpdatedAt = playlist.TracksUpdatedAt,
            });
        }

        if (count > 0 && skipped == count)
        {
            return PageResult<ListPage>.Malformed($"none of the {count} list items has a playlist id");
        }

        if (count > limit)
        {
            problems.Add($"answer holds {count} playlists, more than the {limit} asked for");
        }

        var totalPages = ReadTotalPages(root, limit, problems);
        return PageResult<ListPage>.Ok(new ListPage(playlists, totalPages) { Repeats = repeats, Problems = problems.Lines() });
    }

    /// <summary><c>total</c> ÷ <paramref name="limit"/>, rounded up, at least 1; without a usable total, what <c>more</c> says.</summary>
    private static int ReadTotalPages(JsonElement root, int limit, ProblemLines problems)
    {
        var total = JsonAnswer.ReadNumber(root, "total");
        if (total.Value is >= 0 and <= int.MaxValue)
        {
            return (int)Math.Max(1, (total.Value.Value + limit - 1) / limit);
        }

        var what = total.Value switch
        {
            < 0 => $"total {total.Value} is negative",
            > int.MaxValue => $"total {total.Value} is past {int.MaxValue}",
            _ => total.Trouble!,
        };
        var more = root.TryGetProperty("more", out var flag) && flag.ValueKind == JsonValueKind.True;
        problems.Add(more
            ? $"{what}; more is true: pages are asked for until the cap on pages per category"
            : $"{what}; more is not true: one page");
        return more ? int.MaxValue : 1;
    }
}
