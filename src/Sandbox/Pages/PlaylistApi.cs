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
            json.WritePropertyName(wrapper);
            PlaylistJson.Write(json, catalog, playlist);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static byte[] NotFound() => """{"code":404,"msg":"歌单不存在"}"""u8.ToArray();
}
