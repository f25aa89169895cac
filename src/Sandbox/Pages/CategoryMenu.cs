using System.Globalization;
using System.Collections.Concurrent;
using System.Text;
using FunctionsCrawler.Sandbox.Catalog;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// The category menu every list page carries (<c>#cateListBox</c>, a popup): 全部 in its header, then the
/// groups 语种, 风格, 场景, 情感 and 主题 of links separated by <c>span.line</c>. The same for every page,
/// so it is rendered once per menu size.
/// </summary>
internal static class CategoryMenu
{
    private static readonly ConcurrentDictionary<int, string> Rendered = new();

    public static string Markup(int menuCategories) =>
        Rendered.GetOrAdd(CategoryNames.Menu(menuCategories).Count, Render);

    private static string Render(int count)
    {
        var shown = CategoryNames.Menu(count).ToHashSet(StringComparer.Ordinal);
        var html = new StringBuilder(8 * 1024);
        html.Append("<div id=\"cateListBox\" class=\"n-sltlyr d-flag\" style=\"display:none;\">\n<div class=\"hd\"><i class=\"iconall\"></i></div>\n<div class=\"bd\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<h3><a href=\"/discover/playlist/\" class=\"u-btn u-btn-g f-ff2\" data-cat=\"{Html.Encode(CategoryNames.All)}\"><i>全部风格</i></a></h3>\n");
        foreach (var group in CategoryNames.Groups)
        {
            var categories = group.Categories.Where(shown.Contains).ToList();
            if (categories.Count == 0)
                continue;
            html.Append(CultureInfo.InvariantCulture, $"<dl class=\"f-cb\">\n<dt><i class=\"u-icn {group.Icon}\"></i>{Html.Encode(group.Name)}</dt>\n<dd class=\"\">\n");
            foreach (var category in categories)
            {
                var name = Html.Encode(category);
                html.Append(CultureInfo.InvariantCulture, $"<a class=\"s-fc1 \" href=\"/discover/playlist/?cat={Html.Cat(category)}\" data-cat=\"{name}\">{name}</a><span class=\"line\">|</span>\n");
            }
            html.Append("</dd>\n</dl>\n");
        }
        html.Append("</div>\n<div class=\"ft\"></div>\n</div>\n");
        return html.ToString();
    }
}
