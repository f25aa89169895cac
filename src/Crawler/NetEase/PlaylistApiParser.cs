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
    /// has no name, carries an unknown non-200 code, or is for another playlist than <paramref name="expectedId"/>.
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
        catch (JsonException e)
        {
            return PageResult<PlaylistDetail>.Malformed($"invalid JSON: {ResponseClassifier.Quote(e.Message)}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return PageResult<PlaylistDetail>.Malformed($"JSON root is {root.ValueKind}, not an object");
            }

            if (ReadInt64(root, "code") is { } code and not 200)
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
        var id = ReadInt64(playlist, "id") ?? expectedId;
        if (id != expectedId)
        {
            return PageResult<PlaylistDetail>.Malformed($"API returned playlist {id}, expected {expectedId}");
        }

        var name = ReadString(playlist, "name")?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return PageResult<PlaylistDetail>.Malformed("API playlist has no name");
        }

        TryGetObject(playlist, "creator", out var creator);
        var cover = ReadString(playlist, "coverImgUrl");
        var created = ReadInt64(playlist, "createTime");

        return PageResult<PlaylistDetail>.Ok(new PlaylistDetail
        {
            Id = id,
            Name = name,
            CoverUrl = string.IsNullOrWhiteSpace(cover) ? null : NetEaseUrls.FullSizeCover(cover),
            CreatorId = (creator.ValueKind == JsonValueKind.Object ? ReadInt64(creator, "userId") : null) ?? ReadInt64(playlist, "userId"),
            CreatorNickname = creator.ValueKind == JsonValueKind.Object ? ReadString(creator, "nickname")?.Trim() : null,
            // Same normalisation as the detail page: line breaks as "\n", the whole trimmed.
            Description = (ReadString(playlist, "description") ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim(),
            Tags = ReadTags(playlist),
            TrackCount = ReadInt64(playlist, "trackCount") ?? 0,
            PlayCount = ReadInt64(playlist, "playCount") ?? 0,
            SubscribedCount = ReadInt64(playlist, "subscribedCount") ?? 0,
            ShareCount = ReadInt64(playlist, "shareCount") ?? 0,
            CommentCount = ReadInt64(playlist, "commentCount") ?? 0,
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
    /// A 64-bit number, from <c>{name}_str</c> when present (exact past 2^53, where the site's
    /// numbers are rounded for JavaScript), else from <c>{name}</c> as a number or numeric string.
    /// </summary>
    private static long? ReadInt64(JsonElement obj, string name) =>
        AsInt64(obj, name + "_str") ?? AsInt64(obj, name);

    private static long? AsInt64(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    private static string? ReadString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryGetObject(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object;
}
