using System.Globalization;
using FunctionsCrawler.NetEase;

namespace FunctionsCrawler.Export;

/// <summary>
/// <c>tracks.csv</c>: every song the lists name, once, in id order, the <c>playlists.csv</c> way (<see cref="PlaylistCsv.Options"/>,
/// so text gets its formula guard); the artists' ids and names joined with <c>;</c>, in step; album and duration empty when unknown.
/// </summary>
public static class TracksCsv
{
    public static readonly string[] Header = ["track_id", "name", "artist_ids", "artist_names", "album_id", "album_name", "duration_ms"];

    public static Task WriteAsync(Stream output, IAsyncEnumerable<Song> songs, CancellationToken ct) =>
        PlaylistCsv.WriteTableAsync(output, Header, songs, s => [Fields(s)], ct);

    public static string[] Fields(Song s) =>
    [
        Number(s.Id), s.Name, string.Join(';', s.ArtistIds.Select(Number)), string.Join(';', s.ArtistNames),
        s.AlbumId is { } album ? Number(album) : "", s.AlbumName ?? "", s.DurationMs is { } ms ? Number(ms) : "",
    ];

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
