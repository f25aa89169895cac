using System.Text.Json;
using FunctionsCrawler.Sandbox.Catalog;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// A song object (the detail API's <c>tracks</c>, the song detail API's <c>songs</c>) and its <c>privileges</c> entry,
/// shaped as the real v3/v6 answers. The fields a crawler reads (<c>id</c>, <c>name</c>, <c>ar</c>, <c>al</c>, <c>dt</c>,
/// <c>v</c>, <c>no</c>) come from <see cref="SandboxSong"/>; the rest are drawn from the id, so they never change.
/// </summary>
internal static class SongJson
{
    private const long HighRate = 320_000;
    private const long MediumRate = 192_000;
    private const long LowRate = 128_000;

    public static void Write(Utf8JsonWriter json, SandboxSong song, int seed)
    {
        var extra = new SeededSequence(StableHash.Of(seed, "song-extra", song.Id));
        json.WriteStartObject();
        json.WriteString("name", song.Name);
        json.WriteNumber("id", song.Id);
        json.WriteNumber("pst", 0);
        json.WriteNumber("t", 0);
        json.WriteStartArray("ar");
        foreach (var artist in song.Artists)
        {
            json.WriteStartObject();
            json.WriteNumber("id", artist.Id);
            json.WriteString("name", artist.Name);
            json.WriteStartArray("tns");
            json.WriteEndArray();
            json.WriteStartArray("alias");
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("alia");
        json.WriteEndArray();
        json.WriteNumber("pop", extra.Next(101));
        json.WriteNumber("st", 0);
        json.WriteString("rt", "");
        json.WriteNumber("fee", Fee(seed, song.Id));
        json.WriteNumber("v", song.Version);
        json.WriteNull("crbt");
        json.WriteString("cf", "");
        json.WriteStartObject("al");
        json.WriteNumber("id", song.Album.Id);
        json.WriteString("name", song.Album.Name);
        json.WriteString("picUrl", song.Album.PicUrl);
        json.WriteStartArray("tns");
        json.WriteEndArray();
        var pic = PicId(song.Album.PicUrl);
        json.WriteString("pic_str", pic);
        json.WritePropertyName("pic");
        json.WriteRawValue(pic); // above 2^53 like the real ones: exact here, JavaScript readers round it
        json.WriteEndObject();
        json.WriteNumber("dt", song.DurationMs);
        WriteQuality(json, "h", HighRate, song.DurationMs, extra);
        WriteQuality(json, "m", MediumRate, song.DurationMs, extra);
        WriteQuality(json, "l", LowRate, song.DurationMs, extra);
        json.WriteNull("a");
        json.WriteString("cd", "01");
        json.WriteNumber("no", song.TrackNumber);
        json.WriteNull("rtUrl");
        json.WriteNumber("ftype", 0);
        json.WriteStartArray("rtUrls");
        json.WriteEndArray();
        json.WriteNumber("djId", 0);
        json.WriteNumber("copyright", extra.Next(3));
        json.WriteNumber("s_id", 0);
        json.WriteNumber("mark", extra.Chance(0.2) ? 8192 : 0);
        json.WriteNumber("originCoverType", extra.Next(3));
        json.WriteNull("originSongSimpleData");
        json.WriteNumber("single", 0);
        json.WriteNull("noCopyrightRcmd");
        json.WriteNumber("rtype", 0);
        json.WriteNull("rurl");
        json.WriteNumber("mst", 9);
        json.WriteNumber("cp", extra.Next(1_000, 2_000_000));
        json.WriteNumber("mv", extra.Chance(0.1) ? extra.Next(5_000_000, 15_000_000) : 0);
        json.WriteNumber("publishTime", extra.Chance(0.3) ? 0 : extra.Next(946_684_800_000, 1_748_736_000_000));
        json.WriteEndObject();
    }

    public static void WritePrivilege(Utf8JsonWriter json, SandboxSong song, int seed)
    {
        var fee = Fee(seed, song.Id);
        json.WriteStartObject();
        json.WriteNumber("id", song.Id);
        json.WriteNumber("fee", fee);
        json.WriteNumber("payed", 0);
        json.WriteNumber("st", 0);
        json.WriteNumber("pl", fee == 1 ? 0 : HighRate);
        json.WriteNumber("dl", fee is 1 or 8 ? 0 : HighRate);
        json.WriteNumber("sp", 7);
        json.WriteNumber("cp", 1);
        json.WriteNumber("subp", 1);
        json.WriteBoolean("cs", false);
        json.WriteNumber("maxbr", HighRate);
        json.WriteNumber("fl", fee == 1 ? 0 : LowRate);
        json.WriteBoolean("toast", false);
        json.WriteNumber("flag", fee == 1 ? 1092 : 260);
        json.WriteBoolean("preSell", false);
        json.WriteEndObject();
    }

    /// <summary>0 free, 1 paid (VIP), 8 free at low quality: the common values.</summary>
    private static int Fee(int seed, long songId) => (StableHash.Of(seed, "song-fee", songId) % 10) switch { < 2 => 0, < 4 => 1, _ => 8 };

    private static void WriteQuality(Utf8JsonWriter json, string name, long bitRate, long durationMs, SeededSequence extra)
    {
        json.WriteStartObject(name);
        json.WriteNumber("br", bitRate);
        json.WriteNumber("fid", 0);
        json.WriteNumber("size", bitRate / 8 * durationMs / 1000);
        json.WriteNumber("vd", -extra.Next(20_000, 80_000));
        json.WriteEndObject();
    }

    /// <summary>The image id of a cover-shaped URL: its file name without ".jpg".</summary>
    private static string PicId(string picUrl) => picUrl[(picUrl.LastIndexOf('/') + 1)..^".jpg".Length];
}
