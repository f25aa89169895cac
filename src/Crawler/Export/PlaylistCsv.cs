using System.Globalization;
using CsvHelper;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Export;

/// <summary>
/// <c>playlists.csv</c> as the design fixes it: UTF-8 with BOM (so Excel reads the Chinese text),
/// RFC 4180 quoting with CRLF rows, one row per (category, playlist), and a formula-injection guard. <c>tracks_listed</c>
/// (how many tracks the stored list holds, beside the playlist's own <c>track_count</c>) is empty when no list was kept.
/// </summary>
public static class PlaylistCsv
{
    public static readonly string[] Header =
    [
        "playlist_id", "category", "name", "creator_id", "creator_nickname", "description", "track_count", "tracks_listed",
        "play_count", "subscribed_count", "share_count", "comment_count", "tags", "created_at", "cover_url", "cover_blob", "cover_bytes",
        "cover_sha256", "crawled_at",
    ];

    /// <summary>RFC 4180, CRLF rows, BOM; a cell starting with = + - @ tab or CR gets a leading apostrophe.</summary>
    public static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        NewLine = "\r\n",
        WriteByteOrderMark = true,
        Injection = CsvInjection.Escape,
        InjectionCharacters = "=+-@\t\r",
        InjectionEscape = '\'',
    };

    public static Task WriteAsync(Stream output, IAsyncEnumerable<PlaylistRecord> records, CancellationToken ct) =>
        WriteTableAsync(output, Header, records, r => [Fields(r).ToArray()], ct);

    /// <summary>Writes one of the dataset's CSV tables: the header, then each item's lines, with these <see cref="Options"/> (the formula guard included).</summary>
    internal static async Task WriteTableAsync<T>(Stream output, string[] header, IAsyncEnumerable<T> items, Func<T, IEnumerable<string[]>> lines, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        await csv.WriteRecordAsync(header, ct);
        await foreach (var item in items.WithCancellation(ct))
            foreach (var line in lines(item))
                await csv.WriteRecordAsync(line, ct);
        await csv.FlushAsync(ct);
    }

    public static IEnumerable<string> Fields(PlaylistRecord r)
    {
        var d = r.Detail;
        yield return Number(d.Id);
        yield return Text(r.Category);
        yield return Text(d.Name);
        yield return d.CreatorId is { } creator ? Number(creator) : "";
        yield return Text(d.CreatorNickname);
        yield return Text(d.Description);
        yield return Number(d.TrackCount);
        yield return r.Tracks is { } tracks ? Number(tracks.Listed) : "";
        yield return Number(d.PlayCount);
        yield return Number(d.SubscribedCount);
        yield return Number(d.ShareCount);
        yield return Number(d.CommentCount);
        yield return Text(string.Join(';', d.Tags));
        yield return Time(d.CreatedAt);
        yield return Text(d.CoverUrl);
        yield return Text(r.Cover?.Blob);
        yield return r.Cover is { } cover ? Number(cover.Bytes) : "";
        yield return r.Cover?.Sha256 ?? "";
        yield return Time(r.CrawledAt);
    }

    private static string Text(string? value) => value ?? "";

    public static string Time(DateTimeOffset? value) =>
        value is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
