using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>A playlist's detail page (<c>/playlist?id=</c>): head with title, meta description and ld+json, body as the reference.</summary>
internal static class PlaylistPage
{
    // Descriptions longer than this get the truncated p#album-desc-dot as well, as on the site.
    private const int ShortDescription = 100;

    public static string Render(SandboxCatalog catalog, SandboxPlaylist playlist, string metaCharset)
    {
        var site = catalog.BaseUrl.GetLeftPart(UriPartial.Authority);
        var id = Html.Number(playlist.Id);
        var name = Html.Encode(playlist.Name);
        var nickname = Html.Encode(playlist.CreatorNickname);
        var creatorId = Html.Number(playlist.CreatorId);
        var cover = Html.Encode(playlist.CoverUrl);
        var summary = $"歌单：{playlist.Name}。创建者：{playlist.CreatorNickname}。";

        var html = new StringBuilder(16 * 1024);
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"{metaCharset}\" />\n");
        html.Append(CultureInfo.InvariantCulture, $"<base href=\"//{catalog.BaseUrl.Authority}/\" />\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{name} - 歌单 - 网易云音乐</title>\n");
        html.Append(CultureInfo.InvariantCulture, $"<meta name=\"description\" content=\"{Html.Encode(summary)}\" />\n");
        html.Append("<script type=\"application/ld+json\">\n")
            .Append(Html.ScriptJson(LdJson(site, playlist, summary)))
            .Append("\n</script>\n</head>\n<body>\n");

        html.Append("<div class=\"g-bd4 f-cb\"><div class=\"g-mn4\"><div class=\"g-mn4c\"><div class=\"g-wrap6\">\n<div class=\"m-info f-cb\">\n");
        html.Append("<div class=\"cover u-cover u-cover-dj\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<img src=\"{cover}?param=200y200\" class=\"j-img\" data-src=\"{cover}\" data-key=\"OmbJA\"/>\n");
        html.Append("<span class=\"msk\"></span>\n</div>\n<div class=\"cnt\">\n<div class=\"cntc\">\n");
        html.Append("<div class=\"hd f-cb\">\n<i class=\"f-fl u-icn u-icn-13\"></i>\n");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"tit\"><h2 class=\"f-ff2 f-brk\">{name}</h2></div>\n</div>\n");

        html.Append("<div class=\"user f-cb\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<a class=\"face\" href=\"/user/home?id={creatorId}\"><img src=\"{Html.Encode(catalog.AvatarUrl(playlist.Id))}?param=40y40\"></a>\n");
        html.Append(CultureInfo.InvariantCulture, $"<span class=\"name\"><a href=\"/user/home?id={creatorId}\" class=\"s-fc7\">{nickname}</a></span>\n");
        html.Append(CultureInfo.InvariantCulture, $"<span class=\"time s-fc4\">{Html.ChinaDate(playlist.CreatedAt, "yyyy-MM-dd")}&nbsp;创建</span>\n</div>\n");

        html.Append(CultureInfo.InvariantCulture, $"<div id=\"content-operation\" class=\"btns f-cb\" data-rid=\"{id}\" data-type=\"13\" data-special=\"5\" >\n");
        html.Append("<a href=\"javascript:;\" class=\"u-btn2 u-btn2-2 u-btni-addply f-fl\" hidefocus=\"true\" title=\"播放\"><i><em class=\"ply\"></em>播放</i></a>\n");
        html.Append(CultureInfo.InvariantCulture, $"<a data-res-id=\"{id}\" data-res-type=\"13\" data-count=\"{Html.Number(playlist.SubscribedCount)}\" data-res-action=\"fav\" class=\"u-btni u-btni-fav \" href=\"javascript:;\"><i>{ButtonText(playlist.SubscribedCount, "收藏")}</i></a>\n");
        html.Append(CultureInfo.InvariantCulture, $"<a data-res-id=\"{id}\" data-res-type=\"13\" data-count=\"{Html.Number(playlist.ShareCount)}\" data-res-action=\"share\" data-res-name=\"{name}\" data-res-author=\"{nickname}\" data-res-pic=\"{cover}\" class=\"u-btni u-btni-share \" href=\"javascript:;\"><i>{ButtonText(playlist.ShareCount, "分享")}</i></a>\n");
        html.Append(playlist.CommentCount == 0
            ? "<a data-res-action=\"comment\" href=\"javascript:;\" class=\"u-btni u-btni-cmmt \"><i><span id=\"cnt_comment_count\">评论</span></i></a>\n"
            : $"<a data-res-action=\"comment\" href=\"javascript:;\" class=\"u-btni u-btni-cmmt \"><i>(<span id=\"cnt_comment_count\">{Html.Number(playlist.CommentCount)}</span>)</i></a>\n");
        html.Append("</div>\n");

        if (playlist.Tags.Count > 0)
        {
            html.Append("<div class=\"tags f-cb\"><b>标签：</b>\n");
            foreach (var tag in playlist.Tags)
                html.Append(CultureInfo.InvariantCulture, $"<a class=\"u-tag\" href=\"/discover/playlist/?cat={Html.Cat(tag)}&amp;order=hot\"><i>{Html.Encode(tag)}</i></a>\n");
            html.Append("</div>\n");
        }
        WriteDescription(html, playlist.Description);
        html.Append("</div>\n</div>\n</div>\n");

        html.Append("<div class=\"n-songtb\"><div class=\"u-title u-title-1 f-cb\">\n<h3><span class=\"f-ff2\">歌曲列表</span></h3>\n");
        html.Append(CultureInfo.InvariantCulture, $"<span class=\"sub s-fc3\"><span id=\"playlist-track-count\">{Html.Number(playlist.TrackCount)}</span>首歌</span>\n");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"more s-fc3\">播放：<strong id=\"play-count\" class=\"s-fc6\">{PlayCount(catalog, playlist)}</strong>次</div>\n");
        html.Append("</div></div>\n</div></div></div></div>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string PlayCount(SandboxCatalog catalog, SandboxPlaylist playlist) =>
        catalog.Options.HasHugeCount(playlist.Id) ? HugePlayCount.Detail : Html.Number(playlist.PlayCount);

    /// <summary>A zero count shows the button's word, as on the site; otherwise "(n)".</summary>
    private static string ButtonText(long count, string word) => count == 0 ? word : $"({Html.Number(count)})";

    private static void WriteDescription(StringBuilder html, string description)
    {
        if (description.Length == 0)
            return;
        if (description.Length > ShortDescription)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"album-desc-dot\" class=\"intr f-brk\"><b>介绍：</b> {Html.Lines(Truncate(description))}...</p>\n");
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"album-desc-more\" class=\"intr f-brk f-hide\"><b>介绍：</b> {Html.Lines(description)}</p>\n");
            html.Append("<div id=\"album-desc-spread\" class=\"f-tar\"><a href=\"javascript:;\" class=\"s-fc7\">展开<i class=\"u-icn u-icn-69\"></i></a></div>\n");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"album-desc-more\" class=\"intr f-brk\"><b>介绍：</b> {Html.Lines(description)}</p>\n");
        }
    }

    /// <summary>The first 99 text elements, so an emoji is never cut in half.</summary>
    private static string Truncate(string description)
    {
        var elements = StringInfo.GetTextElementEnumerator(description);
        var end = 0;
        for (var count = 0; count < ShortDescription - 1 && elements.MoveNext(); count++)
            end = elements.ElementIndex + ((string)elements.Current).Length;
        return description[..end];
    }

    private static string LdJson(string site, SandboxPlaylist playlist, string summary)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Html.ApiJson))
        {
            json.WriteStartObject();
            json.WriteString("@context", "https://ziyuan.baidu.com/contexts/cambrian.jsonld");
            json.WriteString("@id", $"{site}/playlist?id={Html.Number(playlist.Id)}");
            json.WriteString("title", playlist.Name);
            json.WriteStartArray("images");
            json.WriteStringValue(playlist.CoverUrl);
            json.WriteEndArray();
            json.WriteString("description", summary);
            json.WriteString("pubDate", Html.ChinaDate(playlist.CreatedAt, "yyyy-MM-ddTHH:mm:ss"));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
