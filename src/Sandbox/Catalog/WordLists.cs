namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>Words that ordinary playlist names, nicknames and descriptions, and song, artist and album names are made of.</summary>
internal static class WordLists
{
    public static readonly IReadOnlyList<string> Moods =
    [
        "深夜", "清晨", "失眠", "雨天", "夏日", "冬季", "周末", "通勤", "独处", "热血", "温柔", "怀旧",
        "治愈系", "燃向", "安静的", "随性", "午后", "跑步", "学习", "回忆里的",
    ];

    public static readonly IReadOnlyList<string> Things =
    [
        "说唱", "民谣", "电音", "旋律", "歌单", "私藏", "单曲循环", "耳机音乐", "节奏", "情歌", "老歌",
        "Hip-Hop", "Lo-Fi", "R&B", "Jazz", "City Pop", "Beats", "Freestyle", "Trap", "Indie",
    ];

    public static readonly IReadOnlyList<string> NameShapes =
    [
        "{0}{1}", "{0}的{1}", "「{0}」{1}合集", "{1} | {0}必听", "{0}·{1}", "你的{0}{1}", "{1}：{0}精选", "{0}{1} vol.{2}",
    ];

    public static readonly IReadOnlyList<string> NicknameStarts =
    [
        "小", "阿", "老", "大", "Mr.", "Miss", "一只", "不吃", "爱听", "失眠的",
    ];

    public static readonly IReadOnlyList<string> NicknameEnds =
    [
        "鹿", "猫", "鱼", "兔子", "DJ", "Echo", "Lee", "早茶饼", "月亮", "橘子", "_official", "Studio",
    ];

    public static readonly IReadOnlyList<string> Sentences =
    [
        "喉咙唱的沙哑，也吻不到你啊",
        "收录了最近循环最多的歌。",
        "每周更新，欢迎收藏。",
        "适合一个人走夜路的时候听。",
        "Some songs for the road.",
        "封面来自网络，侵删。",
        "有些歌只适合在雨天听。",
        "耳机里的世界比外面安静。",
        "排名不分先后。",
        "Keep it real, keep it loud.",
        "写作业的时候不会分心的歌。",
        "献给每一个熬夜的人。",
    ];

    public static readonly IReadOnlyList<string> SongWords =
    [
        "晴天", "夜曲", "星空", "海风", "告白", "旅途", "回忆", "梦境", "烟火", "雨季", "晚风", "月光", "远方", "孤岛",
        "心跳", "白昼", "长街", "灯塔", "候鸟", "山河", "Forever", "Lonely", "Summer", "Midnight", "Dreamer", "Runaway",
        "Tonight", "Letters", "Echoes", "Gravity", "Neon", "Paper Planes",
    ];

    public static readonly IReadOnlyList<string> SongShapes =
    [
        "{0}", "{0}", "{0}", "{0}{1}", "{0}的{1}", "{0} (Live)", "{0} - Remix", "{0}（伴奏）", "{0} {1}", "致{0}", "{0}与{1}",
    ];

    public static readonly IReadOnlyList<string> ArtistStarts =
    [
        "陈", "林", "周", "王", "张", "李", "刘", "许", "The ", "DJ ", "MC ", "Lil ", "",
    ];

    public static readonly IReadOnlyList<string> ArtistEnds =
    [
        "一鸣", "小雨", "子墨", "安然", "乐队", "北辰", "Nova", "Wave", "Kid", "Moon", "Cats", "Echo", "星河", "白", "夏",
    ];
}
