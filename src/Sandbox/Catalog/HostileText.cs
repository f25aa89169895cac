namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>One hostile playlist's texts.</summary>
internal sealed record HostileSet(string Name, string Nickname, string Description);

/// <summary>
/// Text that breaks naive crawlers: markup, spreadsheet formulas, CSV separators, quotes, tabs,
/// emoji and literal entities. Pages must escape it so a correct parser gets it back exactly.
/// No value starts or ends with whitespace: parsers may trim, and that is not what is tested.
/// Page p's hostile slots use sets 2p and 2p+1 (mod 10), so page 0 of every category has sets 0 and 1,
/// which between them hold every hostile case.
/// </summary>
internal static class HostileText
{
    public static readonly IReadOnlyList<HostileSet> Sets =
    [
        new("<script>alert(1)</script>",
            "=cmd|' /C calc'!A0",
            "=HYPERLINK(\"http://x\") 长介绍：这段介绍超过一百个字符，用来检验截断与完整介绍两个段落都被正确转义，并且爬虫取的是完整的那一段。\n"
            + "<script>alert(1)</script>\n+1, -2, @SUM(1), \"引号\", 逗号, tab\there, 🎧🔥, &amp; 字面量, &lt;b&gt; 也是字面量"),
        new("=HYPERLINK(\"http://x\")",
            "\"引号\",逗号",
            "-2 开头的介绍\n他说\"你好\", 然后走了\nTab\t在中间\n<br /> 不是换行，</p> 也不是收尾\n😀 emoji &amp;amp; 双重实体"),
        new("+1", "@everyone", "@SUM(1) 开头\n第二行"),
        new("-2", "+86 听众", "+1 介绍, 带逗号, \"双引号\", 'single'"),
        new("@SUM(1)", "-夜猫子-", "第一行\n第二行 &nbsp; 不是空格"),
        new("他说\"你好\", 然后走了", "<b>粗体</b>用户", "<i>斜体</i> 与 <a href=\"http://x\">链接</a>"),
        new("Tab\t分隔的歌单", "制表\t符", "=1+1\n\t缩进的第二行"),
        new("🎧 夜跑 🔥 歌单", "😀🎵emoji", "🎧🎧🎧"),
        new("&amp; 不是 & 符号", "&lt;not a tag&gt;", "&copy; &#169; &#x41; 都是字面量"),
        new("R&B <精选> 'mix', \"live\"", "<img src=x onerror=alert(1)>", "R&B/Soul, New Age & 另类/独立"),
    ];

    /// <summary>Which set a hostile id shows: a seeded function of the id, so the factory needs no table.</summary>
    public static int SetIndex(int seed, long id) => (int)(StableHash.Of(seed, "hostile-set", id) % (ulong)Sets.Count);
}
