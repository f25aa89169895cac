using System.Text.Json;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// The playlist object of the site's JSON answers: the v6 detail's <c>playlist</c> and each item of a list answer
/// (<c>/api/playlist/list</c>). One reader and one <see cref="ToDetail"/> for both, so the two sources can never give
/// different rows for the same object. Every field is kept as found: a field it does not find is missing, not zero.
/// </summary>
internal sealed record PlaylistJson
{
    private const long MaxUnixMilliseconds = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

    public long? Id { get; init; }
    /// <summary>Why <see cref="Id"/> is null: missing, not a number, past 64 bits.</summary>
    public string? IdTrouble { get; init; }
    /// <summary>Trimmed; null when missing or not text.</summary>
    public string? Name { get; init; }
    /// <summary>The full-size cover; null when missing or blank.</summary>
    public string? CoverUrl { get; init; }
    public long? CreatorId { get; init; }
    public string? CreatorNickname { get; init; }
    /// <summary>Line breaks as "\n", trimmed; "" for null (the API's "none"); null when the key is missing or not text.</summary>
    public string? Description { get; init; }
    /// <summary>The non-blank string tags; null when <c>tags</c> is not an array.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
    public long? TrackCount { get; init; }
    public long? PlayCount { get; init; }
    public long? SubscribedCount { get; init; }
    public long? ShareCount { get; init; }
    public long? CommentCount { get; init; }
    /// <summary><c>createTime</c> in ms since the epoch, as given (0 and out-of-range values included).</summary>
    public long? CreateTime { get; init; }
    /// <summary><c>updateTime</c>, when it is a time.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
    /// <summary><c>trackUpdateTime</c>: when the track list last changed, when it is a time.</summary>
    public DateTimeOffset? TracksUpdatedAt { get; init; }

    /// <summary>
    /// The first number among the fields the detail reads (id, creator id, counts, <c>createTime</c>) that is not a whole
    /// 64-bit number: the detail answer is then refused rather than misread.
    /// </summary>
    public string? Problem { get; init; }

    /// <summary>
    /// The first field a row needs that the object lacks or holds in a form that does not parse (in the CSV's order:
    /// name, cover, creator id, nickname, description, tags, the five counts, <c>createTime</c>); null when it has them all.
    /// </summary>
    public string? Incomplete { get; init; }

    public static PlaylistJson Read(JsonElement playlist)
    {
        var id = JsonAnswer.ReadNumber(playlist, "id");
        var hasCreator = JsonAnswer.TryGetObject(playlist, "creator", out var creator);
        var creatorId = ReadCreatorId(playlist, hasCreator, creator);
        var trackCount = JsonAnswer.ReadNumber(playlist, "trackCount");
        var playCount = JsonAnswer.ReadNumber(playlist, "playCount");
        var subscribedCount = JsonAnswer.ReadNumber(playlist, "subscribedCount");
        var shareCount = JsonAnswer.ReadNumber(playlist, "shareCount");
        var commentCount = JsonAnswer.ReadNumber(playlist, "commentCount");
        var created = JsonAnswer.ReadNumber(playlist, "createTime");
        var name = JsonAnswer.ReadText(playlist, "name");
        var cover = JsonAnswer.ReadText(playlist, "coverImgUrl");
        var nickname = hasCreator ? JsonAnswer.ReadText(creator, "nickname", "creator.nickname") : (null, "no creator");
        var description = ReadDescription(playlist);
        var tags = ReadTags(playlist);

        var numbers = (ReadOnlySpan<JsonNumber>)[id, creatorId, trackCount, playCount, subscribedCount, shareCount, commentCount, created];
        string? problem = null;
        foreach (var number in numbers)
        {
            if (number.Refused)
            {
                problem = number.Trouble;
                break;
            }
        }

        return new PlaylistJson
        {
            Id = id.Value,
            IdTrouble = id.Trouble,
            Name = name.Value?.Trim(),
            CoverUrl = string.IsNullOrWhiteSpace(cover.Value) ? null : NetEaseUrls.FullSizeCover(cover.Value),
            CreatorId = creatorId.Value,
            CreatorNickname = nickname.Value?.Trim(),
            Description = description.Value,
            Tags = tags.Value,
            TrackCount = trackCount.Value,
            PlayCount = playCount.Value,
            SubscribedCount = subscribedCount.Value,
            ShareCount = shareCount.Value,
            CommentCount = commentCount.Value,
            CreateTime = created.Value,
            UpdatedAt = Time(JsonAnswer.ReadNumber(playlist, "updateTime").Value),
            TracksUpdatedAt = Time(JsonAnswer.ReadNumber(playlist, "trackUpdateTime").Value),
            Problem = problem,
            Incomplete = FirstOf(
                string.IsNullOrWhiteSpace(name.Value) ? name.Trouble ?? "name is empty" : null,
                string.IsNullOrWhiteSpace(cover.Value) ? cover.Trouble ?? "coverImgUrl is empty" : null,
                creatorId.Value is null ? creatorId.Trouble : null,
                nickname.Trouble,
                description.Trouble,
                tags.Trouble,
                trackCount.Value is null ? trackCount.Trouble : null,
                playCount.Value is null ? playCount.Trouble : null,
                subscribedCount.Value is null ? subscribedCount.Trouble : null,
                shareCount.Value is null ? shareCount.Trouble : null,
                commentCount.Value is null ? commentCount.Trouble : null,
                created.Value is null ? created.Trouble : null),
        };
    }

    /// <summary>
    /// The row's fields. Whatever the object lacks reads as the detail API has always read it (no count: 0; no
    /// description: ""), so only a complete object (<see cref="Incomplete"/> null) says everything about the playlist.
    /// </summary>
    public PlaylistDetail ToDetail(long id) => new()
    {
        Id = id,
        Name = Name ?? "",
        CoverUrl = CoverUrl,
        CreatorId = CreatorId,
        CreatorNickname = CreatorNickname,
        Description = Description ?? "",
        Tags = Tags ?? [],
        TrackCount = TrackCount ?? 0,
        PlayCount = PlayCount ?? 0,
        SubscribedCount = SubscribedCount ?? 0,
        ShareCount = ShareCount ?? 0,
        CommentCount = CommentCount ?? 0,
        CreatedAt = Time(CreateTime),
    };

    /// <summary>A time in ms since the epoch, when it is one (after 1970, before year 10000).</summary>
    internal static DateTimeOffset? Time(long? milliseconds) =>
        milliseconds is > 0 and <= MaxUnixMilliseconds ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds.Value) : null;

    private static string? FirstOf(params ReadOnlySpan<string?> troubles)
    {
        foreach (var trouble in troubles)
        {
            if (trouble is not null)
            {
                return trouble;
            }
        }

        return null;
    }

    /// <summary><c>creator.userId</c>, else the playlist's own <c>userId</c>.</summary>
    private static JsonNumber ReadCreatorId(JsonElement playlist, bool hasCreator, JsonElement creator)
    {
        var fromCreator = hasCreator ? JsonAnswer.ReadNumber(creator, "userId") : default;
        if (fromCreator.Value is not null || fromCreator.Refused)
        {
            return fromCreator;
        }

        var own = JsonAnswer.ReadNumber(playlist, "userId");
        return own.Value is not null || own.Refused ? own : own with { Trouble = "no creator id (creator.userId or userId)" };
    }

    /// <summary>The API sends null for no description, so null is empty; a missing key is missing.</summary>
    private static (string? Value, string? Trouble) ReadDescription(JsonElement playlist)
    {
        if (playlist.TryGetProperty("description", out var value) && value.ValueKind == JsonValueKind.Null)
        {
            return ("", null);
        }

        var (text, trouble) = JsonAnswer.ReadText(playlist, "description");
        // Same normalisation as the detail page: line breaks as "\n", the whole trimmed.
        return (text?.Replace("\r\n", "\n", StringComparison.Ordinal).Trim(), trouble);
    }

    private static (IReadOnlyList<string>? Value, string? Trouble) ReadTags(JsonElement playlist)
    {
        if (!playlist.TryGetProperty("tags", out var array))
        {
            return (null, "no tags");
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            return (null, $"tags is {array.ValueKind}, not an array");
        }

        var tags = new List<string>();
        foreach (var tag in array.EnumerateArray())
        {
            if (tag.ValueKind == JsonValueKind.String && JsonAnswer.Text(tag).Trim() is { Length: > 0 } text)
            {
                tags.Add(text);
            }
        }

        return (tags, null);
    }
}
