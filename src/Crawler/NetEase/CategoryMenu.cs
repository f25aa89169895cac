using System.Text;

namespace FunctionsCrawler.NetEase;

/// <summary>One category of the site's playlist menu, with the menu group it sits in (语种, 风格, …) when known.</summary>
public sealed record PlaylistCategory(string Name, string? Group);

/// <summary>The site's category menu as known from the reference: the fallback when the live menu cannot be read.</summary>
public static class CategoryMenu
{
    /// <summary>The category that lists every playlist; the menu shows it apart from the groups.</summary>
    public const string All = "全部";

    /// <summary>Every category besides <see cref="All"/>, in menu order, grouped as the menu groups them.</summary>
    public static readonly IReadOnlyList<PlaylistCategory> Known =
    [
        .. Group("语种", "华语", "欧美", "日语", "韩语", "粤语", "小语种"),
        .. Group("风格", "流行", "摇滚", "民谣", "电子", "舞曲", "说唱", "轻音乐", "爵士", "乡村", "R&B/Soul", "古典", "民族",
            "英伦", "金属", "朋克", "蓝调", "雷鬼", "世界音乐", "拉丁", "另类/独立", "New Age", "古风", "后摇", "Bossa Nova"),
        .. Group("场景", "清晨", "夜晚", "学习", "工作", "午休", "下午茶", "地铁", "驾车", "运动", "旅行", "散步", "酒吧"),
        .. Group("情感", "怀旧", "清新", "浪漫", "性感", "伤感", "治愈", "放松", "孤独", "感动", "兴奋", "快乐", "安静", "思念"),
        .. Group("主题", "影视原声", "ACG", "儿童", "校园", "游戏", "70后", "80后", "90后", "网络歌曲",
            "KTV", "经典", "翻唱", "吉他", "钢琴", "器乐", "榜单", "00后"),
    ];

    // Longer than any real name by far; a longer one means the list is not what we think it is.
    private const int MaxNameLength = 40;

    /// <summary>
    /// 全部, or <c>all</c> in any case (the crawl's own word for every category): never a category to crawl, whatever a
    /// menu or catalogue says.
    /// </summary>
    internal static bool IsAll(string name) =>
        name == All || string.Equals(name.Trim(), "all", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whitespace collapsed to single spaces and trimmed; null when nothing is left, or when the text
    /// cannot be a category name (markup, control characters, far too long): it becomes a crawl key and a URL.
    /// The menu page and the JSON catalogue both name categories through it.
    /// </summary>
    internal static string? CleanName(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (sb.Length > 0 && sb[^1] != ' ')
                {
                    sb.Append(' ');
                }
            }
            else if (char.IsSurrogatePair(text, i))
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c) || c is '<' or '>')
            {
                return null;
            }
            else
            {
                sb.Append(c);
            }
        }

        var name = sb.ToString().TrimEnd();
        return name.Length is > 0 and <= MaxNameLength ? name : null;
    }

    private static IEnumerable<PlaylistCategory> Group(string group, params string[] names) =>
        names.Select(name => new PlaylistCategory(name, group));
}
