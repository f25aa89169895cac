using System.Globalization;
using System.Text;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// A category's hot list page (<c>/discover/playlist/?order=hot&amp;cat=&amp;limit=&amp;offset=</c>):
/// the items of <c>ul#m-pl-container</c> and the pager, shaped as in the reference.
/// </summary>
internal static class ListPage
{
    private static readonly string[] CreatorBadges =
    [
        "",
        " <sup class=\"u-icn u-icn-84 \"></sup>",
        " <sup class=\"icn u-icn2 u-icn2-music2 \"></sup>",
    ];

    public static string Render(SandboxCatalogDay day, string category, long offset, int limit, string metaCharset)
    {
        var catalog = day.Catalog;
        var listed = day.ListedIds(category);
        var items = offset < listed.Count ? listed.Skip((int)offset).Take(limit).ToList() : [];
        // PagerLastPage makes the pager claim more (or fewer) pages than there are items for.
        var totalPages = catalog.Options.PagerLastPage > 0 ? catalog.Options.PagerLastPage : (listed.Count + limit - 1) / limit;

        var html = new StringBuilder(64 * 1024);
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"{metaCharset}\" />\n");
        // Protocol-relative like the real <base href="//music.163.com/">, but pointing at the Sandbox.
        html.Append(CultureInfo.InvariantCulture, $"<base href=\"//{catalog.BaseUrl.Authority}/\" />\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{Html.Encode(category)}歌单 - 歌单 - 网易云音乐</title>\n</head>\n<body>\n");
        html.Append("<div class=\"g-bd\"><div class=\"g-wrap p-pl f-pr\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"u-title f-cb\"><h3><span class=\"f-ff2 d-flag\">{Html.Encode(category)}</span></h3></div>\n");
        html.Append(CategoryMenu.Markup(catalog.Options.MenuCategories));
        html.Append("<ul class=\"m-cvrlst f-cb\" id=\"m-pl-container\">\n");
        foreach (var id in items)
            WriteItem(html, day.Playlist(id), catalog.Options.HasHugeCount(id));
        html.Append("</ul>\n");
        if (items.Count > 0 && totalPages > 1)
            ListPager.Write(html, category, offset / limit, totalPages, limit);
        html.Append("</div></div>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void WriteItem(StringBuilder html, SandboxPlaylist playlist, bool hugeCount)
    {
        var id = Html.Number(playlist.Id);
        var name = Html.Encode(playlist.Name);
        var nickname = Html.Encode(playlist.CreatorNickname);
        var creatorId = Html.Number(playlist.CreatorId);
        html.Append("<li>\n<div class=\"u-cover u-cover-1\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<img class=\"j-flag\" src=\"{Html.Encode(playlist.CoverUrl)}?param=140y140\"/>\n");
        html.Append(CultureInfo.InvariantCulture, $"<a title=\"{name}\" href=\"/playlist?id={id}\" class=\"msk\"></a>\n");
        html.Append("<div class=\"bottom\">\n<a class=\"icon-play f-fr\" title=\"播放\" href=\"javascript:;\"\n");
        html.Append(CultureInfo.InvariantCulture, $"data-res-type=\"13\"\ndata-res-id=\"{id}\"\ndata-res-action=\"play\"></a>\n");
        html.Append(CultureInfo.InvariantCulture, $"<span class=\"icon-headset\"></span>\n<span class=\"nb\">{(hugeCount ? HugePlayCount.List : PlayCountText.ForList(playlist.PlayCount))}</span>\n");
        html.Append("</div>\n</div>\n<p class=\"dec\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<a title=\"{name}\" href=\"/playlist?id={id}\" class=\"tit f-thide s-fc0\">{name}</a>\n</p>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p><span class=\"s-fc4\">by</span> <a title=\"{nickname}\" href=\"/user/home?id={creatorId}\" class=\"nm nm-icn f-thide s-fc3\">{nickname}</a>");
        html.Append(CreatorBadges[playlist.CreatorId % CreatorBadges.Length]);
        html.Append("\n</p>\n</li>\n");
    }
}
