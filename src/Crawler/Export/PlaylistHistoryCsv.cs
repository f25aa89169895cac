using System.Globalization;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Export;

/// <summary>
/// <c>playlist_history.csv</c>: one row per playlist per category per crawl, the <c>playlists.csv</c> way — UTF-8 with BOM,
/// RFC 4180 quoting with CRLF rows, times ISO 8601 UTC and the formula-injection guard on text (<see cref="PlaylistCsv.Options"/>).
/// </summary>
public static class PlaylistHistoryCsv
{
    public static readonly string[] Header =
        ["playlist_id", "category", "crawled_at", "play_count", "subscribed_count", "share_count", "comment_count", "track_count"];

    public static Task WriteAsync(Stream output, IAsyncEnumerable<HistoryRow> rows, CancellationToken ct) =>
        PlaylistCsv.WriteTableAsync(output, Header, rows, r => [Fields(r)], ct);

    public static string[] Fields(HistoryRow r) =>
    [
        Number(r.PlaylistId), r.Category, PlaylistCsv.Time(r.CrawledAt), Number(r.PlayCount), Number(r.SubscribedCount),
        Number(r.ShareCount), Number(r.CommentCount), Number(r.TrackCount),
    ];

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
