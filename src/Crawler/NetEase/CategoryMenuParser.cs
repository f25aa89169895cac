using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// Reads the category menu that <c>/discover/playlist/</c> (and every list page) carries:
/// <c>&lt;div id="cateListBox"&gt;</c> with groups <c>&lt;dl&gt;&lt;dt&gt;…语种&lt;/dt&gt;&lt;dd&gt;</c> of links
/// <c>&lt;a href="/discover/playlist/?cat=%E5%8D%8E%E8%AF%AD" data-cat="华语"&gt;华语&lt;/a&gt;</c>.
/// </summary>
public static class CategoryMenuParser
{
    /// <summary>
    /// Ok with the menu's categories in menu order, de-duplicated, without <see cref="CategoryMenu.All"/> (nor a category named <c>all</c>):
    /// each named by its <c>data-cat</c>, else the <c>cat=</c> value of its link (percent-decoded),
    /// else (inside a group) its text. Malformed when the page has no menu, the page is cut short inside it,
    /// or the menu names no category: the caller then falls back to <see cref="CategoryMenu.Known"/>.
    /// </summary>
    public static PageResult<IReadOnlyList<PlaylistCategory>> Parse(int httpStatus, string body)
    {
        var (outcome, reason) = ResponseClassifier.Classify(httpStatus, body);
        if (outcome != PageOutcome.Ok)
        {
            return new PageResult<IReadOnlyList<PlaylistCategory>>(outcome, null, reason);
        }

        var document = new HtmlParser().ParseDocument(body);
        var menu = document.GetElementById("cateListBox");
        if (menu is null)
        {
            return PageResult<IReadOnlyList<PlaylistCategory>>.Malformed("page has no category menu (#cateListBox)");
        }

        // The menu ends with <div class="ft"> and the playlist list follows it: either proves the menu is whole.
        if (!body.Contains("</html>", StringComparison.OrdinalIgnoreCase)
            && menu.QuerySelector("div.ft") is null
            && document.GetElementById("m-pl-container") is null)
        {
            return PageResult<IReadOnlyList<PlaylistCategory>>.Malformed("category menu is truncated (no </html>)");
        }

        var categories = new List<PlaylistCategory>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in menu.QuerySelectorAll("a"))
        {
            if (NameOf(link) is not { } name || CategoryMenu.IsAll(name) || !seen.Add(name))
            {
                continue;
            }

            categories.Add(new PlaylistCategory(name, GroupOf(link)));
        }

        return categories.Count == 0
            ? PageResult<IReadOnlyList<PlaylistCategory>>.Malformed("category menu names no category")
            : PageResult<IReadOnlyList<PlaylistCategory>>.Ok(categories);
    }

    private static string? NameOf(IElement link)
    {
        return CategoryMenu.CleanName(link.GetAttribute("data-cat"))
            ?? CategoryMenu.CleanName(CatFromHref(link.GetAttribute("href")))
            // Link text only inside a group: outside one sits the header link (全部风格) and the like.
            ?? (link.Closest("dd") is not null ? CategoryMenu.CleanName(link.TextContent) : null);
    }

    private static string? GroupOf(IElement link) =>
        CategoryMenu.CleanName(link.Closest("dl")?.QuerySelector("dt")?.TextContent);

    /// <summary>The percent-decoded <c>cat</c> query value of a menu link, or null.</summary>
    internal static string? CatFromHref(string? href)
    {
        var query = href?.IndexOf('?') is int q and >= 0 ? href[(q + 1)..] : null;
        if (query is null)
        {
            return null;
        }

        var fragment = query.IndexOf('#');
        if (fragment >= 0)
        {
            query = query[..fragment];
        }

        foreach (var pair in query.Split('&'))
        {
            if (pair.StartsWith("cat=", StringComparison.Ordinal))
            {
                // '+' is a space in a form-encoded query; the site writes %20, but either reads the same.
                return Uri.UnescapeDataString(pair[4..].Replace('+', ' '));
            }
        }

        return null;
    }
}
