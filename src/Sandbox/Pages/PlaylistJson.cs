using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// The playlist object of the JSON API, written once for both answers that carry it: the detail API's
/// <c>"playlist"</c>/<c>"result"</c>, and each item of a list answer (which adds the track list's times,
/// <c>status</c>, no subscribers and <c>"tracks":null</c>, as the real list answer).
/// </summary>
internal static class PlaylistJson
{
    public static void Write(Utf8JsonWriter json, SandboxCatalog catalog, SandboxPlaylist playlist, bool listItem = false)
    {
        json.WriteStartObject();
        json.WriteNumber("id", playlist.Id);
        json.WriteString("name", playlist.Name);
        json.WriteNumber("coverImgId", playlist.CoverImageId);
        json.WriteString("coverImgUrl", playlist.CoverUrl);
        // Image ids exceed 2^53, which JavaScript numbers cannot hold: the site adds a string copy.
        json.WriteString("coverImgId_str", Html.Number(playlist.CoverImageId));
        json.WriteNumber("userId", playlist.CreatorId);
        json.WriteNumber("createTime", playlist.CreatedAt.ToUnixTimeMilliseconds());
        json.WriteNumber("updateTime", playlist.UpdatedAt.ToUnixTimeMilliseconds());
        json.WriteNumber("trackCount", playlist.TrackCount);
        if (catalog.Options.HasHugeCount(playlist.Id))
        {
            json.WritePropertyName("playCount");
            json.WriteRawValue(HugePlayCount.Api);
        }
        else
        {
            json.WriteNumber("playCount", playlist.PlayCount);
        }
        json.WriteNumber("subscribedCount", playlist.SubscribedCount);
        json.WriteNumber("shareCount", playlist.ShareCount);
        json.WriteNumber("commentCount", playlist.CommentCount);
        if (playlist.Description.Length == 0)
            json.WriteNull("description");
        else
            json.WriteString("description", playlist.Description);
        json.WriteStartArray("tags");
        foreach (var tag in playlist.Tags)
            json.WriteStringValue(tag);
        json.WriteEndArray();
        json.WriteNumber("privacy", 0);
        json.WriteNumber("specialType", 0);
        json.WriteStartObject("creator");
        json.WriteNumber("userId", playlist.CreatorId);
        json.WriteString("nickname", playlist.CreatorNickname);
        json.WriteString("avatarUrl", catalog.AvatarUrl(playlist.Id));
        json.WriteEndObject();
        if (listItem)
        {
            // Every change of the Sandbox's track lists changes the number of tracks, so the two times agree.
            json.WriteNumber("trackUpdateTime", playlist.TracksUpdatedAt.ToUnixTimeMilliseconds());
            json.WriteNumber("trackNumberUpdateTime", playlist.TracksUpdatedAt.ToUnixTimeMilliseconds());
            json.WriteNumber("status", 0);
            json.WriteStartArray("subscribers");
            json.WriteEndArray();
            json.WriteNull("tracks");
        }
        json.WriteEndObject();
    }
}
