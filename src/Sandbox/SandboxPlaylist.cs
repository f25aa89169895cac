namespace FunctionsCrawler.Sandbox;

/// <summary>What fetching a playlist's full-size cover URL gives.</summary>
public enum CoverKind
{
    /// <summary>A real JPEG on the Sandbox's own host.</summary>
    Ok,

    /// <summary>The URL is on a host the crawler must not fetch (<c>p1.not-allowed.invalid</c>).</summary>
    ForeignHost,

    /// <summary>The URL answers an HTML page labelled <c>Content-Type: image/jpeg</c>.</summary>
    NotAnImage,
}

/// <summary>One playlist as the Sandbox serves it on one day (the Day option). Text fields hold the exact original text.</summary>
/// <param name="Description">Empty when the playlist has none; lines are separated by '\n'.</param>
/// <param name="CreatedAt">UTC, whole seconds. HTML shows it in China time (UTC+8), the API as ms since epoch.</param>
/// <param name="UpdatedAt">UTC: the last change of its tracks or cover (or, before day 1, of anything).</param>
/// <param name="CoverUrl">Full-size cover URL, without <c>?param=</c>; a new one when the cover changes.</param>
/// <param name="Deleted">Listed on category pages, but its detail page and API answer "not found" (and JSON lists leave it out).</param>
/// <param name="HasHostileText">Name, nickname and description are taken from the hostile-text set.</param>
public sealed record SandboxPlaylist(
    long Id,
    string Name,
    long CreatorId,
    string CreatorNickname,
    string Description,
    IReadOnlyList<string> Tags,
    int TrackCount,
    long PlayCount,
    long SubscribedCount,
    long ShareCount,
    long CommentCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string CoverUrl,
    long CoverImageId,
    CoverKind Kind,
    bool Deleted,
    bool HasHostileText)
{
    /// <summary>UTC: when its tracks last changed (the list API's <c>trackUpdateTime</c> and <c>trackNumberUpdateTime</c>).</summary>
    public DateTimeOffset TracksUpdatedAt { get; init; }

    /// <summary>How many times the cover has changed since day 0 (or since it appeared): 0 = the first cover.</summary>
    public int CoverVersion { get; init; }

    /// <summary>The day it was first listed: 0 for the day-0 catalogue's, d for a playlist new on day d.</summary>
    public int FirstDay { get; init; }

    /// <summary>How its track list relates to <see cref="TrackCount"/> (empty, long, or one longer or shorter than the count says).</summary>
    public TrackListShape TrackShape { get; init; }
}
