using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// The playlist detail API: <c>/api/v6|v3/playlist/detail</c> wrap the playlist in "playlist",
/// the older <c>/api/playlist/detail</c> in "result". Fields and shapes as the reference.
/// </summary>
internal static class PlaylistApi
{
    public static byte[] Render(SandboxCatalog catalog, SandboxPlaylist playlist, string wrapper)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Html.ApiJson))
        {
            json.WriteStartObject();
            json.WriteNumber("code", 200);
            json.WriteStartObject(wrapper);
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
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static byte[] NotFound() => """{"code":404,"msg":"歌单不存在"}"""u8.ToArray();
}
