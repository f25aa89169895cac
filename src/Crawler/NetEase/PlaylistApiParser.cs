namespace FunctionsCrawler.NetEase;

/// <summary>
/// Reads the JSON detail (<c>/api/v6/playlist/detail?id=N</c> → <c>{"code":200,"playlist":{…}}</c>,
/// or the older <c>{"code":200,"result":{…}}</c>) into a <see cref="PlaylistDetail"/>, through the reader the JSON
/// list answers use too (<see cref="PlaylistJson"/>).
/// </summary>
public static class PlaylistApiParser
{
    /// <summary>
    /// Ok with every field the API gives; Malformed when the body is not JSON, has no playlist object,
    /// has no name, carries an unknown non-200 code, is for another playlist than <paramref name="expectedId"/>,
    /// or gives an id, count or time that is not a whole 64-bit number (the reason names the field and quotes it).
    /// </summary>
    public static PageResult<PlaylistDetail> Parse(int httpStatus, string body, long expectedId) =>
        JsonAnswer.ReadPlaylist(httpStatus, body, playlist => Read(PlaylistJson.Read(playlist), expectedId));

    /// <summary>
    /// The same answer read as the playlist's row and as its track list (<see cref="PlaylistTracksParser"/>), from one
    /// parse: Ok only when both are; otherwise the first one's outcome and reason.
    /// </summary>
    public static PageResult<TrackedPlaylist> ParseWithTracks(int httpStatus, string body, long expectedId) =>
        JsonAnswer.ReadPlaylist(httpStatus, body, playlist =>
        {
            var detail = Read(PlaylistJson.Read(playlist), expectedId);
            if (detail.Outcome != PageOutcome.Ok) return detail.As<TrackedPlaylist>();
            var tracks = PlaylistTracksParser.Read(playlist, expectedId);
            return tracks.Outcome != PageOutcome.Ok ? tracks.As<TrackedPlaylist>() : PageResult<TrackedPlaylist>.Ok(new(detail.Value!, tracks.Value!));
        });

    private static PageResult<PlaylistDetail> Read(PlaylistJson playlist, long expectedId)
    {
        if (playlist.Problem is { } problem)
        {
            return PageResult<PlaylistDetail>.Malformed(problem);
        }

        if ((playlist.Id ?? expectedId) != expectedId)
        {
            return PageResult<PlaylistDetail>.Malformed($"API returned playlist {playlist.Id}, expected {expectedId}");
        }

        return string.IsNullOrEmpty(playlist.Name)
            ? PageResult<PlaylistDetail>.Malformed("API playlist has no name")
            : PageResult<PlaylistDetail>.Ok(playlist.ToDetail(expectedId));
    }
}
