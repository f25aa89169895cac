using System.Text.Json;
using FunctionsCrawler.Sandbox.Catalog;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// <c>/_sandbox/expected</c>: what a perfect crawl of some categories outputs on one day, for benchmarks that check a
/// large crawl's export and final status without the catalogue in process (tests use <see cref="SandboxCatalog.ExpectedRows"/>).
/// Per category: pages crawled, the exported rows' ids (first appearance order), the deleted (category, playlist)
/// pairs, with <paramref name="withCounts"/> each row's counts, and with <paramref name="withTracks"/> each row's track
/// list length and the distinct songs; in all: rows, deleted pairs, discovered pairs, the distinct ids whose cover is a
/// stored image (not one <paramref name="bombCover"/> names: a crawler refuses those), and with <paramref name="withTracks"/>
/// the tracks listed and the distinct songs.
/// </summary>
internal static class ExpectedJson
{
    public static byte[] Render(SandboxCatalogDay day, IReadOnlyList<string> categories, int maxPages, bool withCounts, bool withTracks = false,
        Func<long, bool>? bombCover = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Html.ApiJson))
        {
            long rows = 0, deleted = 0, pages = 0, tracksListed = 0;
            var covers = new HashSet<long>();
            var songs = new HashSet<long>();
            json.WriteStartObject();
            json.WriteNumber("day", day.Day);
            json.WriteNumber("maxPages", maxPages);
            json.WriteStartArray("categories");
            foreach (var category in categories.Distinct(StringComparer.Ordinal))
            {
                var total = day.TotalPages(category);
                var crawled = maxPages > 0 ? Math.Min(maxPages, total) : total;
                var seen = new HashSet<long>();
                var ids = new List<SandboxPlaylist>();
                var gone = 0;
                for (var page = 0; page < crawled; page++)
                    foreach (var id in day.PageIds(category, page))
                    {
                        if (!seen.Add(id)) continue;
                        var playlist = day.Playlist(id);
                        if (playlist.Deleted) { gone++; continue; }
                        ids.Add(playlist);
                        if (playlist.Kind == CoverKind.Ok && bombCover?.Invoke(id) != true) covers.Add(id);
                    }
                json.WriteStartObject();
                json.WriteString("category", category);
                json.WriteNumber("pages", crawled);
                json.WriteNumber("rows", ids.Count);
                json.WriteNumber("deletedPairs", gone);
                json.WriteStartArray("ids");
                foreach (var row in ids) json.WriteNumberValue(row.Id);
                json.WriteEndArray();
                if (withCounts)
                    WriteCounts(json, ids);
                if (withTracks)
                {
                    var categorySongs = new HashSet<long>();
                    json.WriteStartArray("tracksListed");
                    foreach (var row in ids)
                    {
                        // Made again for a playlist in several categories: keeping every list would not fit a whole-site soak.
                        var list = day.Tracks(row.Id);
                        json.WriteNumberValue(list.Count);
                        tracksListed += list.Count;
                        foreach (var track in list)
                            if (categorySongs.Add(track.SongId))
                                songs.Add(track.SongId);
                    }
                    json.WriteEndArray();
                    json.WriteNumber("songs", categorySongs.Count);
                }
                json.WriteEndObject();
                rows += ids.Count;
                deleted += gone;
                pages += crawled;
            }
            json.WriteEndArray();
            json.WriteNumber("pages", pages);
            json.WriteNumber("rows", rows);
            json.WriteNumber("deletedPairs", deleted);
            json.WriteNumber("discovered", rows + deleted);
            json.WriteNumber("coversStored", covers.Count);
            if (withTracks)
            {
                json.WriteNumber("tracksListed", tracksListed);
                json.WriteNumber("songs", songs.Count);
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Each row's counts on the day, in the order of <c>ids</c>.</summary>
    private static void WriteCounts(Utf8JsonWriter json, List<SandboxPlaylist> rows)
    {
        json.WriteStartArray("counts");
        foreach (var row in rows)
        {
            json.WriteStartObject();
            json.WriteNumber("id", row.Id);
            json.WriteNumber("trackCount", row.TrackCount);
            json.WriteNumber("playCount", row.PlayCount);
            json.WriteNumber("subscribedCount", row.SubscribedCount);
            json.WriteNumber("shareCount", row.ShareCount);
            json.WriteNumber("commentCount", row.CommentCount);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
