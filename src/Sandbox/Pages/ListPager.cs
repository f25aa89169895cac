using System.Text;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// The list page's pager (<c>#m-pl-pager</c>), in the reference's markup: page 1, the last page and
/// the pages next to the current one are links; longer gaps are elided with <c>span.zdot</c>.
/// </summary>
internal static class ListPager
{
    public static void Write(StringBuilder html, string category, long current, long total, int limit)
    {
        html.Append("<div id=\"m-pl-pager\"> <div class=\"u-page\">\n");
        html.Append(current == 0
            ? "<a href=\"javascript:void(0)\" class=\"zbtn zprv js-disabled\">上一页</a>\n"
            : $"<a href=\"{Href(category, current - 1, limit)}\" class=\"zbtn zprv\">上一页</a>\n");

        var previous = -1L;
        foreach (var page in Shown(current, total))
        {
            if (previous >= 0 && page - previous > 1)
                html.Append("<span class=\"zdot\">...</span>\n");
            html.Append(page == current
                ? $"<a href=\"javascript:void(0)\" class=\"zpgi js-selected\">{page + 1}</a>\n"
                : $"<a href=\"{Href(category, page, limit)}\" class=\"zpgi\">{page + 1}</a>\n");
            previous = page;
        }

        html.Append(current >= total - 1
            ? "<a href=\"javascript:void(0)\" class=\"zbtn znxt js-disabled\">下一页</a>\n"
            : $"<a href=\"{Href(category, current + 1, limit)}\" class=\"zbtn znxt\">下一页</a>\n");
        html.Append("</div></div>\n");
    }

    /// <summary>Page indexes shown as links; a gap of a single page is shown rather than elided. Long: a claimed last page may be near int.MaxValue.</summary>
    private static SortedSet<long> Shown(long current, long total)
    {
        var shown = new SortedSet<long> { 0, total - 1, current };
        for (var page = current - 1; page <= current + 1; page++)
            if (page >= 0 && page < total)
                shown.Add(page);
        foreach (var page in shown.ToArray())
            if (shown.Contains(page + 2) && !shown.Contains(page + 1))
                shown.Add(page + 1);
        return shown;
    }

    // The raw '&' (not &amp;) is what the reference shows in pager hrefs.
    private static string Href(string category, long page, int limit) =>
        $"/discover/playlist/?order=hot&cat={Html.Cat(category)}&limit={limit}&offset={page * limit}";
}
