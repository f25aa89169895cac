namespace FunctionsCrawler.NetEase;

/// <summary>
/// One playlist as a category list shows it. An HTML list page shows only the first fields; a JSON list answer
/// (<c>/api/playlist/list</c>) carries the playlist object itself, and <see cref="Detail"/> holds every field the crawl
/// keeps when the item had them all and each parsed (the playlist then needs no detail request).
/// </summary>
public sealed record ListedPlaylist(
    long Id,
    string Title,
    string? CoverUrl,
    long? CreatorId,
    string? CreatorNickname)
{
    /// <summary>Every field of the row, from a JSON list item that carried them all; null otherwise.</summary>
    public PlaylistDetail? Detail { get; init; }

    /// <summary>Why a JSON list item's <see cref="Detail"/> is null: the first field it lacks or that does not parse.</summary>
    public string? Incomplete { get; init; }

    /// <summary>When the playlist's track list last changed (<c>trackUpdateTime</c>), when the list item says.</summary>
    public DateTimeOffset? TracksUpdatedAt { get; init; }
}

/// <summary>
/// A parsed category list: its playlists (each id once, in list order) and the pages the category has (the HTML pager's
/// last page number, 1 when there is no pager; for a JSON list, <c>total</c> divided by the page size).
/// </summary>
public sealed record ListPage(IReadOnlyList<ListedPlaylist> Playlists, int TotalPages)
{
    /// <summary>Ids the answer held more than once (only the first is kept).</summary>
    public int Repeats { get; init; }

    /// <summary>One line per item or field that was wrong in the answer but did not spoil the rest (an item without an id, a count past 64 bits…).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}

/// <summary>Every field the crawl keeps for one playlist, as the detail page or the JSON API gives it.</summary>
public sealed record PlaylistDetail
{
    public required long Id { get; init; }
    public required string Name { get; init; }
    public string? CoverUrl { get; init; }
    public long? CreatorId { get; init; }
    public string? CreatorNickname { get; init; }
    /// <summary>Without the 介绍： label; line breaks kept as "\n"; empty when the playlist has none.</summary>
    public string Description { get; init; } = "";
    public long TrackCount { get; init; }
    public long PlayCount { get; init; }
    public long SubscribedCount { get; init; }
    public long ShareCount { get; init; }
    public long CommentCount { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Creation time in UTC when known (the detail page gives the local Beijing time; the API gives ms since epoch).</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>How a response from the site is to be handled.</summary>
public enum PageOutcome
{
    /// <summary>A usable page or document.</summary>
    Ok,
    /// <summary>The playlist is deleted, private or login-only: skip it, never retry.</summary>
    Gone,
    /// <summary>The site pushes back (rate/risk block, verification, overload, empty body): pause and retry later.</summary>
    Blocked,
    /// <summary>The response is neither usable nor a known error shape: retry a few times, then fail loudly.</summary>
    Malformed,
}

/// <summary>The outcome of reading one response, with the parsed value when it is <see cref="PageOutcome.Ok"/>.</summary>
public sealed record PageResult<T>(PageOutcome Outcome, T? Value, string? Reason)
{
    /// <summary>For a block: how long the site asked us to wait (its <c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For a block: the request was never sent, the crawl being paused at its turn (the site saw nothing).</summary>
    public bool Held { get; init; }

    public static PageResult<T> Ok(T value) => new(PageOutcome.Ok, value, null);
    public static PageResult<T> Gone(string reason) => new(PageOutcome.Gone, default, reason);
    public static PageResult<T> Blocked(string reason) => new(PageOutcome.Blocked, default, reason);
    public static PageResult<T> Malformed(string reason) => new(PageOutcome.Malformed, default, reason);

    /// <summary>The same outcome and reason for a different value type (for non-Ok results).</summary>
    public PageResult<TOther> As<TOther>() => new(Outcome, default, Reason) { RetryAfter = RetryAfter, Held = Held };
}
