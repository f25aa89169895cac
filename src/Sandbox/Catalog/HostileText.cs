namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>
/// Text that breaks naive crawlers: markup, spreadsheet formulas, CSV separators, quotes,
/// tabs, emoji and a literal entity. Pages must escape it so a correct parser gets it back exactly.
/// No value starts or ends with whitespace: parsers may trim, and that is not what is tested.
/// </summary>
internal static class HostileText
{
    public static readonly IReadOnlyList<string> Names =
    [
        "<script>alert(1)</script>",
        "=HYPERLINK(\"http://x\")",
        "+1",
        "-2",
        "@SUM(1)",
        "他说\"你好\", 然后走了",
        "Tab\t分隔的歌单",
        "🎧 夜跑 🔥 歌单",
        "&amp; 不是 & 符号",
        "R&B <精选> 'mix', \"live\"",
    ];

    public static readonly IReadOnlyList<string> Nicknames =
    [
        "=cmd|' /C calc'!A0",
        "<b>粗体</b>用户",
        "+86 听众",
        "-夜猫子-",
        "@everyone",
        "\"引号\",逗号",
        "制表\t符",
        "😀🎵emoji",
        "&lt;not a tag&gt;",
        "<img src=x onerror=alert(1)>",
    ];

    public static readonly IReadOnlyList<string> Descriptions =
    [
        "=HYPERLINK(\"http://x\")\n<script>alert(1)</script>\n+1, -2, @SUM(1)",
        "-2 开头的介绍\n他说\"你好\", 然后走了\nTab\t在中间",
        "@SUM(1) 和 &amp; 字面量\n🎧 emoji 🔥\n<br /> 不是换行",
        "+1 介绍, 带逗号, \"双引号\", 'single'\n第二行 </p> 收尾\n第三行 &nbsp; 不是空格",
        "<script>alert(1)</script> 长介绍：这段介绍超过一百个字符，用来检验截断与完整介绍两个段落都被正确转义，"
            + "并且爬虫取的是完整的那一段。=HYPERLINK(\"http://x\")，+1，-2，@SUM(1)，\"引号\"，逗号, tab\there，🎧，&amp;。",
    ];
}
