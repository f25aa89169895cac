using System.Globalization;

namespace FunctionsCrawler.Export;

/// <summary>
/// <c>playlist_tracks.csv</c>: every track of every list, one row each, in the list's order, the <c>playlists.csv</c> way
/// (<see cref="PlaylistCsv.Options"/>: UTF-8 with BOM, RFC 4180, CRLF rows); <c>added_at</c> ISO 8601 UTC, empty when the
/// site did not say.
/// </summary>
public static class PlaylistTracksCsv
{
    public static readonly string[] Header = ["playlist_id", "position", "track_id", "added_at"];

    public static Task WriteAsync(Stream output, IAsyncEnumerable<PlaylistTrackList> lists, CancellationToken ct) =>
        PlaylistCsv.WriteTableAsync(output, Header, lists, list => list.Tracks.Select(track => new[]
        {
            Number(list.PlaylistId), track.Position.ToString(CultureInfo.InvariantCulture), Number(track.TrackId), PlaylistCsv.Time(track.AddedAt),
        }), ct);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
