namespace FunctionsCrawler.Sandbox;

/// <summary>One song of the Sandbox's shared pool, as the detail API's <c>tracks</c> and the song detail API show it.</summary>
/// <param name="Id">64-bit: 6 to 10 digits, some above 2^31.</param>
/// <param name="Artists">One to three; the first is the album's artist.</param>
/// <param name="DurationMs">The API's <c>dt</c>: mostly 90 s to 8 min, a few odd (0, a few seconds, over an hour).</param>
/// <param name="Version">The API's <c>v</c>, in the song object and in <c>trackIds</c>.</param>
/// <param name="TrackNumber">Its place on the album (the API's <c>no</c>), 1..8.</param>
/// <param name="HasHostileText">The name is taken from the hostile-text sets.</param>
public sealed record SandboxSong(
    long Id,
    string Name,
    IReadOnlyList<SandboxArtist> Artists,
    SandboxAlbum Album,
    long DurationMs,
    int Version,
    int TrackNumber,
    bool HasHostileText);

/// <param name="Name">Ordinary words, or (for a few artists) a hostile-text set's nickname.</param>
public sealed record SandboxArtist(long Id, string Name);

/// <param name="PicUrl">An image on the Sandbox, shaped like a cover URL (<c>/&lt;token&gt;==/&lt;imgId&gt;.jpg</c>).</param>
public sealed record SandboxAlbum(long Id, string Name, string PicUrl);

/// <summary>One entry of a playlist's track list: the song and when it was added (the API's <c>at</c>, ms precision).</summary>
public readonly record struct SandboxTrack(long SongId, DateTimeOffset AddedAt);

/// <summary>How a playlist's track list relates to its <see cref="SandboxPlaylist.TrackCount"/>.</summary>
public enum TrackListShape
{
    /// <summary>The list holds exactly TrackCount tracks.</summary>
    Ordinary,

    /// <summary>TrackCount 0 on the day it was first listed, no tracks (it gains some on a later day's track change).</summary>
    Empty,

    /// <summary>Over 1,000 tracks: TrackCount 1,200..3,000 on the day it was first listed, the list as long.</summary>
    Large,

    /// <summary>The list holds one track more than TrackCount says (the site's count lags an addition).</summary>
    ListOneLonger,

    /// <summary>The list holds one track fewer than TrackCount says (the count lags a removal).</summary>
    ListOneShorter,
}
