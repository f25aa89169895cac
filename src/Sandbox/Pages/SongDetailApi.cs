using System.Globalization;
using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// The song detail API (<c>/api/v3/song/detail?c=[{"id":1},{"id":2}]</c>, or <c>ids=[1,2]</c> as older clients send):
/// <c>{"code":200,"songs":[…],"privileges":[…]}</c> in the order asked, unknown ids left out. Too many ids or a
/// malformed parameter is HTTP 200 <c>{"code":400,"msg":"…"}</c>, as the site answers a bad parameter.
/// </summary>
internal static class SongDetailApi
{
    /// <summary>
    /// The ids asked for, in order (null for a whole number too large to be any song's id: unknown, so left out), or false
    /// with the reason when the parameter is missing or not the expected JSON.
    /// </summary>
    public static bool TryRead(string c, string ids, out List<long?> asked, out string problem)
    {
        asked = [];
        problem = "";
        var (name, text) = c.Length > 0 ? ("c", c) : ("ids", ids);
        if (text.Length == 0)
        {
            problem = "参数错误: c is missing";
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return Malformed(name, out problem);
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var id = name == "c"
                    ? item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var field) ? field : default
                    : item;
                if (!TryId(id, out var known))
                    return Malformed(name, out problem);
                asked.Add(known);
            }
            return true;
        }
        catch (JsonException)
        {
            return Malformed(name, out problem);
        }
    }

    public static byte[] Render(SandboxCatalog catalog, IReadOnlyList<long?> asked)
    {
        var songs = new List<SandboxSong>(asked.Count);
        foreach (var id in asked)
            if (id is { } songId && catalog.TryGetSong(songId, out var song))
                songs.Add(song);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Html.ApiJson))
        {
            json.WriteStartObject();
            json.WriteNumber("code", 200);
            json.WriteStartArray("songs");
            foreach (var song in songs)
                SongJson.Write(json, song, catalog.Options.Seed);
            json.WriteEndArray();
            json.WriteStartArray("privileges");
            foreach (var song in songs)
                SongJson.WritePrivilege(json, song, catalog.Options.Seed);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static string TooMany(int asked, int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"参数错误: {asked} ids asked, at most {limit} at once");

    public static byte[] Error(string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Html.ApiJson))
        {
            json.WriteStartObject();
            json.WriteNumber("code", 400);
            json.WriteString("msg", message);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>A JSON integer or a string of digits; one too large for 64 bits is read as an unknown id (null).</summary>
    private static bool TryId(JsonElement id, out long? value)
    {
        value = null;
        var text = id.ValueKind switch
        {
            JsonValueKind.Number => id.GetRawText(),
            JsonValueKind.String => id.GetString()!,
            _ => null,
        };
        if (text is null || text.Length == 0 || !text.All(char.IsAsciiDigit))
            return false;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            value = number;
        return true;
    }

    private static bool Malformed(string name, out string problem)
    {
        problem = name == "c"
            ? """参数错误: c must be a JSON array of {"id":<song id>}"""
            : "参数错误: ids must be a JSON array of song ids";
        return false;
    }
}
