namespace FunctionsCrawler.NetEase;

/// <summary>One track of a playlist: the song's id, its place in the list (0 for the first) and when it was added, when the site says.</summary>
public sealed record PlaylistTrack(long TrackId, int Position, DateTimeOffset? AddedAt);

/// <summary>
/// A playlist's track list as its JSON detail gives it (<c>playlist.trackIds</c>): every track, in the playlist's order,
/// each song once; <see cref="TrackCount"/> is what the playlist says it holds (<c>trackCount</c>), which the list may
/// not match (<see cref="TrackListCheck"/> judges how far apart they may be).
/// </summary>
public sealed record PlaylistTracks(long PlaylistId, long TrackCount, IReadOnlyList<PlaylistTrack> Tracks, DateTimeOffset? TracksUpdatedAt)
{
    /// <summary>Entries naming a song the list already held (only the first is kept).</summary>
    public int Repeats { get; init; }

    /// <summary>Entries skipped because they name no song (no whole-number id above 0).</summary>
    public int Skipped { get; init; }

    /// <summary>One line per entry or field that was wrong in the answer but did not spoil the rest.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}

/// <summary>One JSON detail answer read both ways: the playlist's row and its track list (the same request feeds both).</summary>
public sealed record TrackedPlaylist(PlaylistDetail Detail, PlaylistTracks Tracks);

/// <summary>
/// A song as the song detail answer gives it. <see cref="ArtistIds"/> and <see cref="ArtistNames"/> run in step, one
/// entry per artist in the answer's order; an artist id is 0 when the artist has no page on the site (the site's own 0).
/// The album is null when the song has none (the site's <c>al.id</c> 0); the duration is null when unknown or not sane.
/// </summary>
public sealed record Song(
    long Id,
    string Name,
    IReadOnlyList<long> ArtistIds,
    IReadOnlyList<string> ArtistNames,
    long? AlbumId,
    string? AlbumName,
    long? DurationMs);

/// <summary>
/// One song detail answer: the songs asked for that it holds (each once, in its order), the ids asked for that it left
/// out (<see cref="Unknown"/>: the site does not know them, or hides them), and one line per thing that was wrong.
/// </summary>
public sealed record SongBatch(IReadOnlyList<Song> Songs, IReadOnlyList<long> Unknown, IReadOnlyList<string> Problems);
