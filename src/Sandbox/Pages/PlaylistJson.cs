using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// The playlist object of the JSON API, written once for both answers that carry it: the detail API's
/// <c>"playlist"</c>/<c>"result"</c>, and each item of a list answer (which adds the track list's times,
/// <c>status</c>, no subscribers and <c>"tracks":null</c>, as the real list answer). The v3/v6 detail also carries the
/// track list: the times, <c>tracks</c> (full song objects of the first <see cref="FullTracks"/>) and <c>trackIds</c> (all).
/// </summary>
internal static class PlaylistJson
{
    /// <summary>Anonymous callers get full song objects for the first 20 tracks only (public clients report 10–20).</summary>
    public const int FullTracks = 20;

    /// <param name="tracks">The detail's track list as answered (the whole list, or one track for OneTrackIds); null for none.</param>
    public static void Write(
        Utf8JsonWriter json, SandboxCatalog catalog, SandboxPlaylist playlist, bool listItem = false, IReadOnlyList<SandboxTrack>? tracks = null)
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
        if (tracks is not null)
            WriteTracks(json, catalog, playlist, tracks);
        json.WriteEndObject();
    }

    private static void WriteTracks(Utf8JsonWriter json, SandboxCatalog catalog, SandboxPlaylist playlist, IReadOnlyList<SandboxTrack> tracks)
    {
        json.WriteNumber("trackUpdateTime", playlist.TracksUpdatedAt.ToUnixTimeMilliseconds());
        json.WriteNumber("trackNumberUpdateTime", playlist.TracksUpdatedAt.ToUnixTimeMilliseconds());
        json.WriteStartArray("tracks");
        foreach (var track in tracks.Take(FullTracks))
            SongJson.Write(json, catalog.Song(track.SongId), catalog.Options.Seed);
        json.WriteEndArray();
        json.WriteStartArray("trackIds");
        foreach (var track in tracks)
        {
            json.WriteStartObject();
            json.WriteNumber("id", track.SongId);
            json.WriteNumber("v", catalog.Songs.TryPlace(track.SongId, out var place) ? catalog.Songs.Version(place) : 0);
            json.WriteNumber("t", 0);
            json.WriteNumber("at", track.AddedAt.ToUnixTimeMilliseconds());
            json.WriteNumber("uid", playlist.CreatorId);
            json.WriteNull("alg");
            json.WriteString("rcmdReason", "");
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
