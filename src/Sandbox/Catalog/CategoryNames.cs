namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>One group of the category menu (语种, 风格, …) and its categories, in menu order.</summary>
internal sealed record CategoryGroup(string Name, string Icon, IReadOnlyList<string> Categories);

/// <summary>The site's category names (from the reference) and the Sandbox's special ones.</summary>
internal static class CategoryNames
{
    public const string All = "全部";

    /// <summary>The category menu's groups as the reference lists them; the icon classes are as far as known.</summary>
    public static readonly IReadOnlyList<CategoryGroup> Groups =
    [
        new("语种", "u-icn-71", ["华语", "欧美", "日语", "韩语", "粤语", "小语种"]),
        new("风格", "u-icn-7",
        [
            "流行", "摇滚", "民谣", "电子", "舞曲", "说唱", "轻音乐", "爵士", "乡村", "R&B/Soul", "古典", "民族",
            "英伦", "金属", "朋克", "蓝调", "雷鬼", "世界音乐", "拉丁", "另类/独立", "New Age", "古风", "后摇", "Bossa Nova",
        ]),
        new("场景", "u-icn-8", ["清晨", "夜晚", "学习", "工作", "午休", "下午茶", "地铁", "驾车", "运动", "旅行", "散步", "酒吧"]),
        new("情感", "u-icn-9", ["怀旧", "清新", "浪漫", "性感", "伤感", "治愈", "放松", "孤独", "感动", "兴奋", "快乐", "安静", "思念"]),
        new("主题", "u-icn-10",
        [
            "影视原声", "ACG", "儿童", "校园", "游戏", "70后", "80后", "90后", "网络歌曲",
            "KTV", "经典", "翻唱", "吉他", "钢琴", "器乐", "榜单", "00后",
        ]),
    ];

    /// <summary>Every category listed on the real site besides 全部, in menu order; tags are drawn from these.</summary>
    public static readonly IReadOnlyList<string> Listed = [.. Groups.SelectMany(group => group.Categories)];

    /// <summary>The first categories of each group are marked hot in the JSON catalogue (as far as known; no capture at hand).</summary>
    private const int HotPerGroup = 4;

    /// <summary>全部 or a category the site lists (the JSON list answers nothing for other names).</summary>
    public static bool IsKnown(string category) => category == All || Listed.Contains(category);

    /// <summary>The number of the menu group the category is in (0 = 语种 … 4 = 主题), as the JSON catalogue says it.</summary>
    public static int GroupOf(string category)
    {
        for (var group = 0; group < Groups.Count; group++)
            if (Groups[group].Categories.Contains(category))
                return group;
        throw new ArgumentException($"{category} is in no group of the menu.", nameof(category));
    }

    public static bool IsHot(string category) =>
        Groups.Any(group => group.Categories.Take(HotPerGroup).Contains(category));

    /// <summary>The categories the menu links to: the first <paramref name="count"/> of <see cref="Listed"/>, 0 = all.</summary>
    public static IReadOnlyList<string> Menu(int count) => count <= 0 || count >= Listed.Count ? Listed : [.. Listed.Take(count)];
}
