using System.Text;
using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

/// <summary>
/// Property: every parser returns a result for any status and body and never throws.
/// Bodies are drawn from a seeded Random (reproducible): truncations and mutations of the real-shape
/// fixtures, random text with markup, JSON fragments, numbers and odd characters, and plain garbage.
/// </summary>
public class ParserRobustnessTests
{
    private const int CasesPerSeed = 300;

    private static readonly string[] Fixtures =
    [
        "list-page-1.html", "list-page-last.html", "list-page-no-pager.html", "list-page-empty.html",
        "discover-playlist-menu.html", "playlist-319135616.html", "playlist-2829883282.html", "playlist-5078411239.html",
        "playlist-988690134.html", "playlist-owner-view.html", "playlist-not-found.html", "site-overloaded.html",
        "api-v6-playlist-2829883282.json", "api-v6-playlist-id-str.json", "api-legacy-playlist-362750972.json",
        "api-v3-playlist-empty.json", "api-v3-song-detail.json",
    ];

    private static readonly string[] Pieces =
    [
        "<html>", "</html>", "<li>", "</li>", "<ul class=\"m-cvrlst f-cb\" id=\"m-pl-container\">", "<div id=\"m-pl-pager\">",
        "<a class=\"zpgi\">", "<a class=\"zbtn znxt\">", "<div id=\"content-operation\" data-rid=\"1\">", "<h2 class=\"f-ff2\">",
        "<a class=\"u-btni u-btni-fav\" data-count=\"", "<span id=\"cnt_comment_count\">", "<strong id=\"play-count\">",
        "<div id=\"cateListBox\">", "<dl><dt>语种</dt><dd>", "<a data-cat=\"", "href=\"/playlist?id=", "?cat=%E5%8D%8",
        "<script type=\"application/ld+json\">", "{\"pubDate\":\"", "</script>", "<meta property=\"og:url\" content=\"",
        "{", "}", "[", "]", "\"code\":", "\"playlist\":{", "\"id\":", "\"playCount\":", "\"createTime\":", "_str\":\"",
        "-460", "405", "200", "1e400", "9999999999999999999999", "99999999999万", "9999999999999亿", "-1", "0.5", "2016-03-17",
        "评论", "服务器开小差", "你要查找的网页找不到", "&amp;", "&#0;", "&nbsp;", "\"", "'", "<", ">", "\\", "\n", "\t",
        "\uFEFF", "\uD800", "\uDC00", "\\ud83d", "\\ude00", "\u0000", "😀", "万", "亿", "(", ")", ",", ".",
    ];

    private static readonly int[] Statuses = [200, 200, 200, 201, 204, 301, 400, 403, 404, 429, 500, 502, 503, 504, 0, -1, 999];

    public static TheoryData<int> Seeds => new() { 1, 2, 3 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_parser_throws_on_any_body(int seed)
    {
        var random = new Random(seed);
        var fixtures = Fixtures.Select(Fixture.Read).ToArray();
        for (var i = 0; i < CasesPerSeed; i++)
        {
            var body = Body(random, fixtures);
            var status = Statuses[random.Next(Statuses.Length)];
            var id = random.Next(3) == 0 ? random.NextInt64() : 319135616;
            var context = $"seed {seed}, case {i}, status {status}, body \"{ResponseClassifier.Quote(body)}\"";

            AssertResult(() => ListPageParser.Parse(status, body), context);
            AssertResult(() => PlaylistPageParser.Parse(status, body, id), context);
            AssertResult(() => PlaylistApiParser.Parse(status, body, id), context);
            AssertResult(() => CategoryMenuParser.Parse(status, body), context);
            AssertResult(() => PlaylistTracksParser.Parse(status, body, id), context);
            AssertResult(() => SongDetailParser.Parse(status, body, [id, 1920025919]), context);
            var classified = Record(() => ResponseClassifier.Classify(status, body), context);
            Assert.True(classified.Outcome == PageOutcome.Ok || !string.IsNullOrEmpty(classified.Reason), context);
        }
    }

    [Fact]
    public void Every_truncation_of_every_fixture_is_read_without_throwing()
    {
        foreach (var name in Fixtures)
        {
            var full = Fixture.Read(name);
            // Every 19th cut point plus the last few characters: a prime stride, so across a fixture the cuts land at
            // every offset inside its tags and strings; 50 to 300 cuts a fixture (every 7th took 30 s of CPU for the same).
            foreach (var cut in Enumerable.Range(0, full.Length).Where(n => n % 19 == 0 || n > full.Length - 8))
            {
                var body = full[..cut];
                var context = $"{name} cut at {cut}";
                AssertResult(() => ListPageParser.Parse(200, body), context);
                AssertResult(() => PlaylistPageParser.Parse(200, body, 319135616), context);
                AssertResult(() => PlaylistApiParser.Parse(200, body, 319135616), context);
                AssertResult(() => CategoryMenuParser.Parse(200, body), context);
                AssertResult(() => PlaylistTracksParser.Parse(200, body, 319135616), context);
                AssertResult(() => SongDetailParser.Parse(200, body, [2061234567]), context);
            }
        }
    }

    private static void AssertResult<T>(Func<PageResult<T>> parse, string context)
    {
        var result = Record(parse, context);
        Assert.NotNull(result);
        if (result.Outcome == PageOutcome.Ok)
        {
            Assert.True(result.Value is not null, $"Ok without a value: {context}");
        }
        else
        {
            Assert.True(result.Value is null, $"{result.Outcome} with a value: {context}");
            Assert.False(string.IsNullOrWhiteSpace(result.Reason), $"{result.Outcome} without a reason: {context}");
        }
    }

    private static T Record<T>(Func<T> parse, string context)
    {
        try
        {
            return parse();
        }
        catch (Exception e)
        {
            Assert.Fail($"{e.GetType().Name}: {e.Message} ({context})");
            throw;
        }
    }

    private static string Body(Random random, string[] fixtures)
    {
        var fixture = fixtures[random.Next(fixtures.Length)];
        return random.Next(6) switch
        {
            0 => fixture[..random.Next(fixture.Length + 1)],
            1 => Mutate(random, fixture),
            2 => Mutate(random, fixture[..random.Next(fixture.Length + 1)]),
            3 => Concatenate(random),
            4 => Garbage(random),
            _ => Splice(random, fixture),
        };
    }

    // A handful of insertions, deletions and replacements of pieces at random places.
    private static string Mutate(Random random, string text)
    {
        var sb = new StringBuilder(text);
        for (var n = random.Next(1, 12); n > 0; n--)
        {
            var at = random.Next(sb.Length + 1);
            switch (random.Next(3))
            {
                case 0:
                    sb.Insert(at, Pieces[random.Next(Pieces.Length)]);
                    break;
                case 1 when sb.Length > 0:
                    sb.Remove(Math.Min(at, sb.Length - 1), Math.Min(random.Next(1, 40), sb.Length - Math.Min(at, sb.Length - 1)));
                    break;
                default:
                    if (at < sb.Length)
                    {
                        sb[at] = (char)random.Next(0, 0x3000);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    // An odd number put where a real-shape fixture has a count, an id or a page number.
    private static string Splice(Random random, string fixture)
    {
        (string Target, string Template)[] spots =
        [
            (">798<", ">{0}<"), (">4096<", ">{0}<"), (">38</a>", ">{0}</a>"), ("data-count=\"3\"", "data-count=\"{0}\""),
            ("id=2900000001", "id={0}"), ("\"playCount\": 0", "\"playCount\": {0}"), ("\"trackCount\": 467", "\"trackCount\": {0}"),
        ];
        string[] numbers = ["9999999999999999999999", "99999999999万", "9999999999999亿", "1e400", "-0", "0x10", "１２３", "", "9223372036854775808"];
        var (target, template) = spots[random.Next(spots.Length)];
        return fixture.Replace(target, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, numbers[random.Next(numbers.Length)]), StringComparison.Ordinal);
    }

    private static string Concatenate(Random random)
    {
        var sb = new StringBuilder();
        for (var n = random.Next(1, 60); n > 0; n--)
        {
            sb.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return sb.ToString();
    }

    private static string Garbage(Random random)
    {
        var chars = new char[random.Next(0, 400)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next(0, 0x10000);
        }

        return new string(chars);
    }
}
