using System.Text.Json;
using FunctionsCrawler.Sandbox.Catalog;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// The category catalogue as JSON (<c>/api/playlist/catalogue</c>): 全部 in <c>"all"</c>, the menu's categories in
/// menu order in <c>"sub"</c> with their group's number, and the groups' names. <c>resourceCount</c> is the
/// category's list length (the list API's <c>total</c>).
/// </summary>
internal static class CatalogueApi
{
    public static byte[] Render(SandboxCatalog catalog)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Html.ApiJson))
        {
            json.WriteStartObject();
            json.WriteNumber("code", 200);
            json.WriteStartObject("all");
            json.WriteString("name", CategoryNames.All);
            json.WriteNumber("category", CategoryNames.Groups.Count - 1);
            json.WriteNumber("resourceCount", CategoryPages.ListedCount(CategoryNames.All, catalog.Options));
            json.WriteEndObject();
            json.WriteStartArray("sub");
            foreach (var category in catalog.MenuCategories)
            {
                json.WriteStartObject();
                json.WriteString("name", category);
                json.WriteNumber("category", CategoryNames.GroupOf(category));
                json.WriteBoolean("hot", CategoryNames.IsHot(category));
                json.WriteNumber("resourceCount", CategoryPages.ListedCount(category, catalog.Options));
                json.WriteNumber("type", 0);
                json.WriteBoolean("activity", false);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("categories");
            for (var group = 0; group < CategoryNames.Groups.Count; group++)
                json.WriteString(Html.Number(group), CategoryNames.Groups[group].Name);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
