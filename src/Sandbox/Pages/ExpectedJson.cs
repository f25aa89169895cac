using System.Text.Json;
using FunctionsCrawler.Sandbox.Catalog;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// <c>/_sandbox/expected</c>: what a perfect crawl of some categories outputs, for benchmarks that check a large
/// crawl's export and final status without the catalogue in process (tests use <see cref="SandboxCatalog.ExpectedRows"/>).
/// Per category: pages crawled, the exported rows' ids (first appearance order), the deleted (category, playlist)
/// pairs; in all: rows, deleted pairs, discovered pairs and the distinct ids whose cover is a stored image.
/// </summary>
internal static class ExpectedJson
{
    public static byte[] Render(SandboxCatalog catalog, IReadOnlyList<string> categories, int maxPages)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Html.ApiJson))
        {
            long rows = 0, deleted = 0, pages = 0;
            var covers = new HashSet<long>();
            json.WriteStartObject();
            json.WriteNumber("maxPages", maxPages);
            json.WriteStartArray("categories");
            foreach (var category in categories.Distinct(StringComparer.Ordinal))
            {
                var total = catalog.TotalPages(category);
                var crawled = maxPages > 0 ? Math.Min(maxPages, total) : total;
                var seen = new HashSet<long>();
                var ids = new List<long>();
                var gone = 0;
                for (var page = 0; page < crawled; page++)
                    foreach (var id in catalog.PageIds(category, page))
                    {
                        if (!seen.Add(id)) continue;
                        var playlist = catalog.Playlist(id);
                        if (playlist.Deleted) { gone++; continue; }
                        ids.Add(id);
                        if (playlist.Kind == CoverKind.Ok) covers.Add(id);
                    }
                json.WriteStartObject();
                json.WriteString("category", category);
                json.WriteNumber("pages", crawled);
                json.WriteNumber("rows", ids.Count);
                json.WriteNumber("deletedPairs", gone);
                json.WriteStartArray("ids");
                foreach (var id in ids) json.WriteNumberValue(id);
                json.WriteEndArray();
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
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
