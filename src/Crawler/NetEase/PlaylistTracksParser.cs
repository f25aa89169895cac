using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// Reads a playlist's track list from its JSON detail (<c>/api/v6/playlist/detail?id=N</c>, also <c>/api/v3/…</c>):
/// <c>playlist.trackIds</c>, every track in the playlist's order. Never <c>playlist.tracks</c>: the site fills that with
/// the first 10–20 songs only for a caller that is not logged in, so it is not the list.
/// </summary>
public static class PlaylistTracksParser
{
    /// <summary>Problem lines kept per answer; the rest are counted in one more line.</summary>
    public const int MaxProblems = 20;

    /// <summary>
    /// The most tracks a playlist holds on the site (10,000 songs). A longer list is not a playlist's and the answer is
    /// refused rather than cut: a cut list would be stored as if it were the playlist's.
    /// </summary>
    public const int MaxTracks = 10_000;

    /// <summary>
    /// Blocked / Gone as <see cref="ResponseClassifier"/> says (a -460, -462, 405/406 code, HTTP 503, an empty body…;
    /// a 404, 301, 401 or 20001 code: deleted or private). Malformed, with one line saying what was wrong, when the body
    /// is not JSON, its root is not an object, it carries an unknown non-200 code, it has no playlist object, the playlist
    /// is another than <paramref name="expectedId"/> (or its id is not a whole 64-bit number), <c>trackCount</c> is
    /// missing, not a number or negative (the list could not be checked), <c>trackIds</c> is missing or null ("detail
    /// answer has no trackIds") or not an array, it lists more than <see cref="MaxTracks"/> entries, or none of its
    /// entries names a song. Otherwise Ok: each song once, in list order (repeats counted in
    /// <see cref="PlaylistTracks.Repeats"/>), <c>at</c> (ms) as <see cref="PlaylistTrack.AddedAt"/>; entries without a
    /// whole-number id above 0 are skipped (<see cref="PlaylistTracks.Skipped"/>); each with a line in
    /// <see cref="PlaylistTracks.Problems"/>, as is an <c>at</c> that is not a time.
    /// </summary>
    public static PageResult<PlaylistTracks> Parse(int httpStatus, string body, long expectedId) =>
        JsonAnswer.ReadPlaylist(httpStatus, body, playlist => Read(playlist, expectedId));

    internal static PageResult<PlaylistTracks> Read(JsonElement playlist, long expectedId)
    {
        var id = JsonAnswer.ReadNumber(playlist, "id");
        if (id.Refused)
        {
            return PageResult<PlaylistTracks>.Malformed(id.Trouble!);
        }

        if ((id.Value ?? expectedId) != expectedId)
        {
            return PageResult<PlaylistTracks>.Malformed($"API returned playlist {id.Value}, expected {expectedId}");
        }

        var trackCount = JsonAnswer.ReadNumber(playlist, "trackCount");
        if (trackCount.Value is not { } count)
        {
            return PageResult<PlaylistTracks>.Malformed($"detail answer has no usable trackCount ({trackCount.Trouble}): its track list cannot be checked");
        }

        if (count < 0)
        {
            return PageResult<PlaylistTracks>.Malformed($"trackCount {count} is negative: the track list cannot be checked");
        }

        if (!playlist.TryGetProperty("trackIds", out var entries) || entries.ValueKind == JsonValueKind.Null)
        {
            return PageResult<PlaylistTracks>.Malformed("detail answer has no trackIds");
        }

        if (entries.ValueKind != JsonValueKind.Array)
        {
            return PageResult<PlaylistTracks>.Malformed($"detail answer's trackIds is {entries.ValueKind}, not an array");
        }

        var length = entries.GetArrayLength();
        if (length > MaxTracks)
        {
            return PageResult<PlaylistTracks>.Malformed(string.Create(CultureInfo.InvariantCulture, $"detail answer lists {length:N0} tracks, more than the {MaxTracks:N0} a playlist holds"));
        }

        var problems = new ProblemLines(MaxProblems);
        var tracks = new List<PlaylistTrack>(length);
        var positions = new Dictionary<long, int>(length);
        var repeats = 0;
        var skipped = new StrongBox<int>();
        foreach (var (index, entry, songId) in JsonAnswer.ItemsWithId(entries, "trackIds", "track", problems, skipped))
        {
            if (positions.TryGetValue(songId, out var first))
            {
                repeats++;
                problems.Add($"trackIds[{index}] repeats song {songId} (position {first}): kept once");
                continue;
            }

            positions.Add(songId, tracks.Count);
            tracks.Add(new PlaylistTrack(songId, tracks.Count, AddedAt(entry, index, problems)));
        }

        if (length > 0 && skipped.Value == length)
        {
            return PageResult<PlaylistTracks>.Malformed($"none of the {length} trackIds entries names a song");
        }

        var updated = PlaylistJson.Time(JsonAnswer.ReadNumber(playlist, "trackUpdateTime").Value);
        return PageResult<PlaylistTracks>.Ok(new PlaylistTracks(expectedId, count, tracks, updated)
        {
            Repeats = repeats,
            Skipped = skipped.Value,
            Problems = problems.Lines(),
        });
    }

    /// <summary><c>at</c>, ms since the epoch; null when the entry does not say (older answers have no <c>at</c>), with a line when it says something else than a time.</summary>
    private static DateTimeOffset? AddedAt(JsonElement entry, int index, ProblemLines problems)
    {
        if (!entry.TryGetProperty("at", out var at) || at.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var number = JsonAnswer.ReadNumber(entry, "at");
        if (PlaylistJson.Time(number.Value) is { } time)
        {
            return time;
        }

        problems.Add($"trackIds[{index}]: {number.Trouble ?? $"at {number.Value} is not a time"}: added time unknown");
        return null;
    }
}
