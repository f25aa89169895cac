using System.Text.Json;
using FunctionsCrawler.Sandbox.Catalog;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// A category's hot list as JSON (<c>/api/playlist/list?cat=&amp;order=hot&amp;limit=&amp;offset=</c>):
/// <c>{"code":200,"playlists":[…],"total":N,"more":…,"cat":"…"}</c>. The items are the same slice of the same list
/// as the HTML list page with that offset and limit, deleted playlists left out (so an answer may hold fewer items
/// than asked for); each is the detail API's playlist object. An unknown category is an empty answer.
/// </summary>
internal static class ListApi
{
    public static byte[] Render(SandboxCatalogDay day, string category, long offset, int limit)
    {
        var options = day.Catalog.Options;
        IReadOnlyList<long> listed = CategoryNames.IsKnown(category) ? day.ListedIds(category) : [];
        var items = offset < listed.Count ? listed.Skip((int)offset).Take(limit) : [];
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Html.ApiJson))
        {
            json.WriteStartObject();
            json.WriteNumber("code", 200);
            json.WriteStartArray("playlists");
            foreach (var id in items)
            {
                var playlist = day.Playlist(id);
                if (!playlist.Deleted)
                    PlaylistJson.Write(json, day.Catalog, playlist, listItem: true);
            }
            json.WriteEndArray();
            // ListTotal and ListMoreAlways lie independently: a crawler must survive either without the other.
            json.WriteNumber("total", options.ListTotal != 0 ? options.ListTotal : listed.Count);
            json.WriteBoolean("more", options.ListMoreAlways || listed.Count - offset > limit);
            json.WriteString("cat", category);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
