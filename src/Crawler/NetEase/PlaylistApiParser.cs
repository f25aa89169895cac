using System.Globalization;
using System.Text.Json;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// Reads the JSON detail (<c>/api/v6/playlist/detail?id=N</c> → <c>{"code":200,"playlist":{…}}</c>,
/// or the older <c>{"code":200,"result":{…}}</c>) into a <see cref="PlaylistDetail"/>.
/// </summary>
public static class PlaylistApiParser
{
    /// <summary>
    /// Ok with every field the API gives; Malformed when the body is not JSON, has no playlist object,
    /// has no name, carries an unknown non-200 code, is for another playlist than <paramref name="expectedId"/>,
    /// or gives an id, count or time that is not a whole 64-bit number (the reason names the field and quotes it).
    /// </summary>
    public static PageResult<PlaylistDetail> Parse(int httpStatus, string body, long expectedId)
    {
        var (outcome, reason) = ResponseClassifier.Classify(httpStatus, body);
        if (outcome != PageOutcome.Ok)
        {
            return new PageResult<PlaylistDetail>(outcome, null, reason);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // ArgumentException: text that is not valid UTF-16 (a lone surrogate) cannot even be transcoded.
            return PageResult<PlaylistDetail>.Malformed($"invalid JSON: {ResponseClassifier.Quote(e.Message)}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return PageResult<PlaylistDetail>.Malformed($"JSON root is {root.ValueKind}, not an object");
            }

            if (ReadCode(root) is { } code and not 200)
            {
                return PageResult<PlaylistDetail>.Malformed($"API code {code}: {ResponseClassifier.Quote(ReadString(root, "msg") ?? ReadString(root, "message"))}".TrimEnd(' ', ':'));
            }

            if (!TryGetObject(root, "playlist", out var playlist) && !TryGetObject(root, "result", out playlist))
            {
                return PageResult<PlaylistDetail>.Malformed("API response has no playlist object");
            }

            return Read(playlist, expectedId);
        }
    }

    private static PageResult<PlaylistDetail> Read(JsonElement playlist, long expectedId)
    {
        var numbers = new NumberReader();
        var id = numbers.Read(playlist, "id");
        TryGetObject(playlist, "creator", out var creator);
        var creatorId = (creator.ValueKind == JsonValueKind.Object ? numbers.Read(creator, "userId") : null) ?? numbers.Read(playlist, "userId");
        var trackCount = numbers.Read(playlist, "trackCount");
        var playCount = numbers.Read(playlist, "playCount");
        var subscribedCount = numbers.Read(playlist, "subscribedCount");
        var shareCount = numbers.Read(playlist, "shareCount");
        var commentCount = numbers.Read(playlist, "commentCount");
        var created = numbers.Read(playlist, "createTime");
        if (numbers.Problem is { } problem)
        {
            return PageResult<PlaylistDetail>.Malformed(problem);
        }

        if ((id ?? expectedId) != expectedId)
        {
            return PageResult<PlaylistDetail>.Malformed($"API returned playlist {id}, expected {expectedId}");
        }

        var name = ReadString(playlist, "name")?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return PageResult<PlaylistDetail>.Malformed("API playlist has no name");
        }

        var cover = ReadString(playlist, "coverImgUrl");
        return PageResult<PlaylistDetail>.Ok(new PlaylistDetail
        {
            Id = expectedId,
            Name = name,
            CoverUrl = string.IsNullOrWhiteSpace(cover) ? null : NetEaseUrls.FullSizeCover(cover),
            CreatorId = creatorId,
            CreatorNickname = creator.ValueKind == JsonValueKind.Object ? ReadString(creator, "nickname")?.Trim() : null,
            // Same normalisation as the detail page: line breaks as "\n", the whole trimmed.
            Description = (ReadString(playlist, "description") ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim(),
            Tags = ReadTags(playlist),
            TrackCount = trackCount ?? 0,
            PlayCount = playCount ?? 0,
            SubscribedCount = subscribedCount ?? 0,
            ShareCount = shareCount ?? 0,
            CommentCount = commentCount ?? 0,
            CreatedAt = created is > 0 and <= MaxUnixMilliseconds ? DateTimeOffset.FromUnixTimeMilliseconds(created.Value) : null,
        });
    }

    private const long MaxUnixMilliseconds = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

    private static List<string> ReadTags(JsonElement playlist)
    {
        var tags = new List<string>();
        if (playlist.TryGetProperty("tags", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in array.EnumerateArray())
            {
                if (tag.ValueKind == JsonValueKind.String && tag.GetString()?.Trim() is { Length: > 0 } text)
                {
                    tags.Add(text);
                }
            }
        }

        return tags;
    }

    /// <summary>
    /// Reads 64-bit numbers, from <c>{name}_str</c> when present (exact past 2^53, where the site's
    /// numbers are rounded for JavaScript), else from <c>{name}</c> as a number or numeric string.
    /// A missing, null or non-numeric field reads as null; a number that is not a whole 64-bit value
    /// is kept as <see cref="Problem"/> (the first one met), so the response is refused rather than misread.
    /// </summary>
    private sealed class NumberReader
    {
        public string? Problem { get; private set; }

        public long? Read(JsonElement obj, string name) => Field(obj, name + "_str") ?? Field(obj, name);

        private long? Field(JsonElement obj, string name)
        {
            if (!obj.TryGetProperty(name, out var value))
            {
                return null;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.Number:
                    if (value.TryGetInt64(out var n))
                    {
                        return n;
                    }

                    // 1e3 or 12.0 are whole numbers written another way.
                    if (value.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue)
                    {
                        return (long)d;
                    }

                    return Refuse(name, value.GetRawText());
                case JsonValueKind.String:
                    var text = value.GetString()?.Trim();
                    if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                    {
                        return parsed;
                    }

                    // Digits that do not fit are a hostile number; other text is just not a number.
                    var digits = text?.TrimStart('-');
                    return digits is { Length: > 0 } && digits.All(char.IsAsciiDigit) ? Refuse(name, text!) : null;
                default:
                    return null;
            }
        }

        private long? Refuse(string name, string text)
        {
            Problem ??= $"{name} \"{ResponseClassifier.Quote(text)}\" is not a whole number that fits in 64 bits";
            return null;
        }
    }

    private static long? ReadCode(JsonElement root)
    {
        if (!root.TryGetProperty("code", out var code))
        {
            return null;
        }

        return code.ValueKind switch
        {
            JsonValueKind.Number when code.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(code.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    private static string? ReadString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryGetObject(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object;
}
