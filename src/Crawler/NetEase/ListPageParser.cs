using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace FunctionsCrawler.NetEase;

/// <summary>Reads a category list page (<c>/discover/playlist/?cat=…</c>): its playlists and its page count.</summary>
public static partial class ListPageParser
{
    /// <summary>
    /// Ok with the page's playlists (in page order; an id listed twice is kept twice: the caller dedups)
    /// and the pager's last page number, clamped to <see cref="int.MaxValue"/> — the caller caps pages per category,
    /// so a hostile pager cannot plan more pages than it allows.
    /// Malformed when the page lists more than <see cref="NetEaseUrls.PageSize"/> playlists, or is cut short:
    /// it has no <c>&lt;/html&gt;</c> and its pager is not whole (no next-page button, which follows the last page number),
    /// so it may have lost items and the pager.
    /// When some items had no readable id, the result is still Ok and <see cref="PageResult{T}.Reason"/> says how many were skipped.
    /// The play count an item shows (<c>span.nb</c>) is not read: the detail page has the exact one.
    /// </summary>
    public static PageResult<ListPage> Parse(int httpStatus, string body)
    {
        var (outcome, reason) = ResponseClassifier.Classify(httpStatus, body);
        if (outcome != PageOutcome.Ok)
        {
            return new PageResult<ListPage>(outcome, null, reason);
        }

        var document = new HtmlParser().ParseDocument(body);
        var container = document.GetElementById("m-pl-container");
        if (container is null)
        {
            return PageResult<ListPage>.Malformed("list page has no playlist container");
        }

        // Checked after the container so a page that is plainly not a list page says so first.
        // Everything the crawl reads comes before the pager's next-page button, so a page cut after it lost nothing.
        if (!body.Contains("</html>", StringComparison.OrdinalIgnoreCase)
            && document.QuerySelector("#m-pl-pager a.znxt") is null)
        {
            return PageResult<ListPage>.Malformed("list page is truncated (no </html>)");
        }

        var items = container.Children.Where(e => e.LocalName == "li").ToList();
        if (items.Count > NetEaseUrls.PageSize)
        {
            return PageResult<ListPage>.Malformed($"page lists {items.Count} playlists, more than {NetEaseUrls.PageSize}");
        }

        var playlists = new List<ListedPlaylist>(items.Count);
        foreach (var item in items)
        {
            if (ReadItem(item) is { } playlist)
            {
                playlists.Add(playlist);
            }
        }

        var skipped = items.Count - playlists.Count;
        if (items.Count > 0 && skipped == items.Count)
        {
            return PageResult<ListPage>.Malformed($"none of the {items.Count} list items has a playlist id");
        }

        var page = new ListPage(playlists, ReadTotalPages(document));
        return skipped == 0
            ? PageResult<ListPage>.Ok(page)
            : new PageResult<ListPage>(PageOutcome.Ok, page, $"skipped {skipped} of {items.Count} list items with no playlist id");
    }

    private static ListedPlaylist? ReadItem(IElement item)
    {
        var mask = item.QuerySelector("a.msk");
        var id = IdFromHref(mask?.GetAttribute("href"))
            ?? ParseId(item.QuerySelector("a.icon-play[data-res-id]")?.GetAttribute("data-res-id"))
            ?? IdFromHref(item.QuerySelector("p.dec a")?.GetAttribute("href"));
        if (id is not { } playlistId)
        {
            return null;
        }

        var decLink = item.QuerySelector("p.dec a");
        var title = FirstNonBlank(
            mask?.GetAttribute("title"),
            decLink?.TextContent,
            decLink?.GetAttribute("title")) ?? "";

        var src = item.QuerySelector("img.j-flag")?.GetAttribute("src");
        var cover = string.IsNullOrWhiteSpace(src) ? null : NetEaseUrls.FullSizeCover(src);

        var creator = item.QuerySelector("a.nm");
        return new ListedPlaylist(
            playlistId,
            title,
            cover,
            IdFromHref(creator?.GetAttribute("href")),
            FirstNonBlank(creator?.TextContent, creator?.GetAttribute("title")));
    }

    private static int ReadTotalPages(IDocument document)
    {
        var pager = document.GetElementById("m-pl-pager");
        if (pager is null)
        {
            return 1;
        }

        // The last numbered link is the last page; pages in between are elided (<span class="zdot">).
        // Numbers past int.MaxValue (or past long) are clamped: the caller caps the pages it plans anyway.
        var max = 1L;
        foreach (var link in pager.QuerySelectorAll("a.zpgi"))
        {
            var text = link.TextContent.Trim();
            if (text.Length == 0 || !text.All(char.IsAsciiDigit))
            {
                continue;
            }

            var n = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : long.MaxValue;
            max = Math.Max(max, n);
        }

        return (int)Math.Min(max, int.MaxValue);
    }

    /// <summary>The <c>id</c> query value of a site link such as <c>/playlist?id=N</c> or <c>/user/home?id=N</c>.</summary>
    internal static long? IdFromHref(string? href)
    {
        if (string.IsNullOrEmpty(href))
        {
            return null;
        }

        var match = IdQuery().Match(href);
        return match.Success ? ParseId(match.Groups[1].Value) : null;
    }

    internal static long? ParseId(string? text) =>
        long.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    internal static string? FirstNonBlank(params ReadOnlySpan<string?> values)
    {
        foreach (var value in values)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }

    [GeneratedRegex(@"[?&]id=(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex IdQuery();
}
