using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// The playlist detail API: <c>/api/v6|v3/playlist/detail</c> wrap the playlist in "playlist" with its track list and add
/// the first tracks' <c>privileges</c>; the older <c>/api/playlist/detail</c> wraps it in "result", without tracks.
/// Fields and shapes as the reference.
/// </summary>
internal static class PlaylistApi
{
    /// <param name="tracks">The track list to answer (v3/v6), or null (the older API).</param>
    public static byte[] Render(SandboxCatalog catalog, SandboxPlaylist playlist, string wrapper, IReadOnlyList<SandboxTrack>? tracks)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Html.ApiJson))
        {
            json.WriteStartObject();
            json.WriteNumber("code", 200);
            json.WritePropertyName(wrapper);
            PlaylistJson.Write(json, catalog, playlist, tracks: tracks);
            if (tracks is not null)
            {
                json.WriteStartArray("privileges");
                foreach (var track in tracks.Take(PlaylistJson.FullTracks))
                    SongJson.WritePrivilege(json, catalog.Song(track.SongId), catalog.Options.Seed);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static byte[] NotFound() => """{"code":404,"msg":"歌单不存在"}"""u8.ToArray();
}
