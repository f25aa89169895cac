using FunctionsCrawler.Progress;

namespace FunctionsCrawler.Dashboard.Tests;

/// <summary>Known crawl states, built from the real status record.</summary>
public static class Statuses
{
    public const string Hostile = "<img src=x onerror=window.__pwned=1>";

    public static CrawlStatus Running() => new()
    {
        CrawlId = "20250101T030000Z-说唱",
        State = "running",
        Categories = ["说唱", "流行"],
        StartedAt = DateTimeOffset.UtcNow.AddSeconds(-754),
        ElapsedSeconds = 754,
        Pages = new PagesFigures(Total: 10, Done: 3),
        Playlists = new PlaylistFigures(Discovered: 40, Done: 12, Skipped: 2, Failed: 1) { Refreshed = 9, Detailed = 3, New = 4, Gone = 5 },
        Covers = new CoverFigures(Stored: 12, Missing: 0, Bytes: 5_452_595),
        RatePerMinute = 12.5,
        EtaSeconds = 3720,
        ProjectedBytes = 3L * 1024 * 1024 * 1024,
        ByCategory =
        [
            new CategoryStatus("说唱", PagesTotal: 6, PagesDone: 2, Discovered: 30, Done: 10, Skipped: 1, Failed: 1),
            new CategoryStatus("流行", PagesTotal: 4, PagesDone: 1, Discovered: 10, Done: 2, Skipped: 1, Failed: 0),
        ],
        RecentErrors =
        [
            new CrawlError(DateTimeOffset.UtcNow.AddMinutes(-2), "GET /playlist?id=123 → 503 Service Unavailable (retrying)"),
        ],
    };
}
