using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FunctionsCrawler.Dashboard.Tests;

/// <summary>Playlists as a crawl of the site records them, hostile text included, for the data view.</summary>
public static class FixtureDataset
{
    public const string ScriptName = "<script>window.__pwned=3</script>";
    public const string FormulaName = "=HYPERLINK(\"http://evil.example\",\"click\")";
    public const string ImgCreator = "<img src=x onerror=window.__pwned=4>";

    public static PlaylistRecord Row(long id, string name, long plays, string category = "说唱", string? creator = "小明",
        IReadOnlyList<string>? tags = null, long subscribed = 10, bool cover = true) => new()
    {
        Category = category,
        CrawlId = "20261201-030000-ab12",
        CrawledAt = new DateTimeOffset(2026, 12, 1, 3, 10, 0, TimeSpan.Zero),
        Cover = cover ? new StoredCover($"covers/{id}.jpg", 1234, "abc") : null,
        Tracks = Lists.TryGetValue(id, out var list) ? new TrackListRef($"t{id}", list.Count, null, id == NightRun ? "the list and trackCount differ by more than the site's lag" : null) : null,
        Detail = new PlaylistDetail
        {
            Id = id,
            Name = name,
            CreatorId = 1000 + id,
            CreatorNickname = creator,
            TrackCount = 20 + (id % 30),
            PlayCount = plays,
            SubscribedCount = subscribed,
            ShareCount = id % 7,
            CommentCount = id % 11,
            Tags = tags ?? ["华语", "说唱"],
            CreatedAt = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(id % 300),
        },
    };

    /// <summary>75 playlists in two categories (more than a page of 50), three with hostile text.</summary>
    public static List<PlaylistRecord> Rows()
    {
        var rows = new List<PlaylistRecord>
        {
            Row(9001, ScriptName, 5_000_000, tags: ["<b>tag</b>"]),
            Row(9002, FormulaName, 4_000_000, creator: ImgCreator),
            Row(9003, "夜跑 Night Run", 3_000_000, category: "流行", tags: ["运动", "Workout"]),
        };
        for (var i = 1; i <= 72; i++)
            rows.Add(Row(10_000 + i, $"歌单 {i:D2}", (long)Math.Pow(10, 1 + (i % 6)) + i, category: i % 3 == 0 ? "流行" : "说唱", subscribed: i * 3, cover: i % 10 != 0));
        return rows;
    }

    /// <summary>夜跑 Night Run: 120 tracks (more than a page of 100), the first two with hostile names, the seventh unknown to the site.</summary>
    public const long NightRun = 9003;

    public const string ImgSong = "<img src=x onerror=window.__pwned=6>";
    public const long UnknownSong = 599_999;
    private static readonly DateTimeOffset Added = new(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The stored track lists, by playlist id: 夜跑 Night Run's 120, and three playlists of 说唱 sharing songs.</summary>
    public static IReadOnlyDictionary<long, IReadOnlyList<PlaylistTrack>> Lists { get; } = new Dictionary<long, IReadOnlyList<PlaylistTrack>>
    {
        [NightRun] = [.. Enumerable.Range(0, 120).Select(i => new PlaylistTrack(i == 6 ? UnknownSong : 500_000 + i, i, i == 3 ? null : Added.AddDays(i)))],
        [9001] = [new(500_010, 0, Added), new(500_011, 1, Added), new(500_000, 2, null)],
        [10_001] = [new(500_010, 0, Added), new(500_012, 1, Added)],
        [10_002] = [new(500_010, 0, Added), new(500_011, 1, Added), new(500_001, 2, Added)],
    };

    /// <summary>The songs the lists name, but the unknown one: 3 min 0 s plus a second per id.</summary>
    public static IReadOnlyDictionary<long, Song> Songs { get; } = Enumerable.Range(0, 120).Select(i => new Song(500_000 + i,
            i switch { 0 => ImgSong, 1 => FormulaName, _ => $"曲目 {i:D3}" },
            [100 + (i % 7)], [i == 0 ? "<b>artist</b>" : $"歌手 {i % 7}"], i % 5 == 4 ? null : 700 + (i % 5), i % 5 == 4 ? null : $"专辑 {i % 5}", 180_000 + i * 1000L))
        .ToDictionary(s => s.Id);

    public static byte[] CoverJpeg { get; } = MakeJpeg();

    private static byte[] MakeJpeg()
    {
        using var image = new Image<Rgba32>(64, 64, new Rgba32(47, 111, 222));
        using var output = new MemoryStream();
        image.SaveAsJpeg(output);
        return output.ToArray();
    }
}
