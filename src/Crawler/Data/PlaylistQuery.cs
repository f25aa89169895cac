using FunctionsCrawler.Pipeline;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Data;

/// <summary>
/// One playlist as the data view lists it: the CSV's columns without the description (<see cref="TracksListed"/> null when
/// no list was kept), with the routes of its cover, history and tracks.
/// </summary>
public sealed record PlaylistItemView(
    long PlaylistId, string Category, string Name, long? CreatorId, string? CreatorNickname,
    long TrackCount, int? TracksListed, long PlayCount, long SubscribedCount, long ShareCount, long CommentCount,
    IReadOnlyList<string> Tags, DateTimeOffset? CreatedAt, DateTimeOffset CrawledAt, string CrawlId,
    string? Cover, string? Thumbnail, string History, string Tracks)
{
    /// <summary>Longest text a listing shows (name, nickname, each tag); the exports keep the whole text.</summary>
    public const int MaxTextLength = 500;

    /// <summary>True when a text of this item was cut at <see cref="MaxTextLength"/> characters (ending in …).</summary>
    public bool TextsCut { get; init; }

    public static PlaylistItemView From(PlaylistRecord r)
    {
        var id = r.Detail.Id.ToString(CultureInfo.InvariantCulture);
        var cover = r.Cover is null ? null : $"covers/{id}.jpg";
        var cut = false;
        string? Cut(string? text)
        {
            if (text is not { Length: > MaxTextLength }) return text;
            cut = true;
            // Never half a surrogate pair.
            var end = char.IsHighSurrogate(text[MaxTextLength - 1]) ? MaxTextLength - 1 : MaxTextLength;
            return text[..end] + "…";
        }
        return new(r.Detail.Id, r.Category, Cut(r.Detail.Name)!, r.Detail.CreatorId, Cut(r.Detail.CreatorNickname),
            r.Detail.TrackCount, r.Tracks?.Listed, r.Detail.PlayCount, r.Detail.SubscribedCount, r.Detail.ShareCount, r.Detail.CommentCount,
            r.Detail.Tags.Any(t => t.Length > MaxTextLength) ? r.Detail.Tags.Select(t => Cut(t)!).ToList() : r.Detail.Tags,
            r.Detail.CreatedAt, r.CrawledAt, r.CrawlId,
            cover, cover is null ? null : cover + "?size=thumb",
            $"playlists/{id}/history?category={Uri.EscapeDataString(r.Category)}",
            $"playlists/{id}/tracks?category={Uri.EscapeDataString(r.Category)}") { TextsCut = cut };
    }
}

/// <summary>
/// One page of <c>GET /api/playlists</c>: the items, the continuation of the next page (null on the last), how many rows
/// matched, and whether the rows read stopped at <see cref="PlaylistQuery.MaxRows"/> (then the order covers only those).
/// </summary>
public sealed record PlaylistPage(IReadOnlyList<PlaylistItemView> Items, string? Continuation, int Matched, bool Truncated, string Sort)
{
    /// <summary>One line per category of the dataset that was not read (not a category name, or storage refused its partition).</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];
}

/// <summary>
/// The data view's query: <c>q</c> (case-insensitive substring of the name, the creator's nickname or a tag),
/// <c>sort</c> (a field, <c>-field</c> for descending), <c>top</c> (1–200, default 50) and an opaque continuation.
/// Table storage cannot sort, so the rows are read (at most <see cref="MaxRows"/>) and ordered here.
/// </summary>
public sealed record PlaylistQuery(string? Category, string? Search, string SortField, bool Descending, int Top, int Offset)
{
    public const int DefaultTop = 50, MaxTop = 200, MaxSearchLength = 200;
    /// <summary>Rows read per request, over all categories asked for; past it the answer says <c>truncated</c>.</summary>
    public const int MaxRows = 20_000;
    /// <summary>
    /// Characters of row text read per request (about 8 MiB as .NET holds text): a row's texts can be 32,000 characters each, so
    /// <see cref="MaxRows"/> alone could mean gigabytes. Past it the answer says <c>truncated</c> too.
    /// </summary>
    public const long MaxTextChars = 4 * 1024 * 1024;
    public const string DefaultSort = "-plays";

    public static readonly IReadOnlyList<string> SortFields = ["plays", "subscribed", "shares", "comments", "tracks", "created", "name"];

    public string Sort => (Descending ? "-" : "") + SortField;

    /// <summary>Reads the query string's values; throws <see cref="CrawlQueryException"/> naming a bad one.</summary>
    public static PlaylistQuery Parse(string? category, string? q, string? sort, string? top, string? continuation)
    {
        var count = ParseTop(top, DefaultTop, MaxTop);

        var s = string.IsNullOrEmpty(sort) ? DefaultSort : sort.Trim();
        var descending = s.StartsWith('-');
        var field = s.TrimStart('-', '+').ToLowerInvariant();
        if (!SortFields.Contains(field))
            throw new CrawlQueryException($"sort must be one of {string.Join(", ", SortFields)} (prefix - for descending), got '{Shorten(sort ?? "")}'.");

        var search = ParseSearch(q);
        var query = new PlaylistQuery(string.IsNullOrEmpty(category) ? null : category, search, field, descending, count, 0);
        return string.IsNullOrEmpty(continuation) ? query : query with { Offset = query.ReadContinuation(continuation) };
    }

    /// <summary>A route's <c>q</c>: null when blank, else trimmed; throws <see cref="CrawlQueryException"/> when longer than <see cref="MaxSearchLength"/>.</summary>
    public static string? ParseSearch(string? q)
    {
        var search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (search is { Length: > MaxSearchLength }) throw new CrawlQueryException($"q is at most {MaxSearchLength} characters, got {search.Length}.");
        return search;
    }

    /// <summary>Longest category name a route takes: the site's are a few characters; a table key holds about a hundred escaped.</summary>
    public const int MaxCategoryLength = 100;

    /// <summary>
    /// A route's <c>category</c> value: null when empty (every category); throws <see cref="CrawlQueryException"/> naming the
    /// parameter when it cannot be a category (too long for a table key, or control characters).
    /// </summary>
    public static string? ParseCategory(string? category)
    {
        if (string.IsNullOrEmpty(category)) return null;
        if (category.Length > MaxCategoryLength || category.Any(char.IsControl))
            throw new CrawlQueryException($"category must be at most {MaxCategoryLength} characters, without control characters, got '{Shorten(Logging.SafeText.Of(category))}'.");
        return category;
    }

    public bool Matches(PlaylistRecord r) =>
        Search is null
        || r.Detail.Name.Contains(Search, StringComparison.OrdinalIgnoreCase)
        || (r.Detail.CreatorNickname?.Contains(Search, StringComparison.OrdinalIgnoreCase) ?? false)
        || r.Detail.Tags.Any(t => t.Contains(Search, StringComparison.OrdinalIgnoreCase));

    /// <summary>Filters, orders (ties by id, then category, so pages never overlap) and cuts one page.</summary>
    public PlaylistPage Apply(IEnumerable<PlaylistRecord> rows, bool truncated)
    {
        var matched = rows.Where(Matches).ToList();
        matched.Sort(Compare);
        var items = matched.Skip(Offset).Take(Top).Select(PlaylistItemView.From).ToList();
        var next = Offset + items.Count < matched.Count ? WriteContinuation(Offset + items.Count) : null;
        return new PlaylistPage(items, next, matched.Count, truncated, Sort);
    }

    private int Compare(PlaylistRecord a, PlaylistRecord b)
    {
        var c = SortField switch
        {
            "plays" => a.Detail.PlayCount.CompareTo(b.Detail.PlayCount),
            "subscribed" => a.Detail.SubscribedCount.CompareTo(b.Detail.SubscribedCount),
            "shares" => a.Detail.ShareCount.CompareTo(b.Detail.ShareCount),
            "comments" => a.Detail.CommentCount.CompareTo(b.Detail.CommentCount),
            "tracks" => a.Detail.TrackCount.CompareTo(b.Detail.TrackCount),
            "created" => Nullable.Compare(a.Detail.CreatedAt, b.Detail.CreatedAt),
            _ => string.Compare(a.Detail.Name, b.Detail.Name, StringComparison.OrdinalIgnoreCase),
        };
        if (Descending) c = -c;
        if (c != 0) return c;
        c = a.Detail.Id.CompareTo(b.Detail.Id);
        return c != 0 ? c : string.CompareOrdinal(a.Category, b.Category);
    }

    /// <summary>The continuation names the offset and the query it belongs to, so it cannot be replayed on another one.</summary>
    private string WriteContinuation(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{offset.ToString(CultureInfo.InvariantCulture)}.{Fingerprint()}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private int ReadContinuation(string continuation)
    {
        try
        {
            var b64 = continuation.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=')));
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && int.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                && text[(dot + 1)..] == Fingerprint())
                return offset;
        }
        catch (FormatException) { }
        throw new CrawlQueryException("continuation is not one this query gave out: pass the continuation of the previous page as it was, with the same category, q and sort.");
    }

    private string Fingerprint() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Category}\n{Search}\n{Sort}")))[..12];

    /// <summary>A route's <c>top</c>: <paramref name="default"/> when absent, at most <paramref name="max"/>; throws naming a bad one.</summary>
    public static int ParseTop(string? top, int @default, int max)
    {
        if (string.IsNullOrEmpty(top)) return @default;
        if (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            throw new CrawlQueryException($"top must be a whole number from 1 to {max}, got '{Shorten(top)}'.");
        return Math.Min(count, max);
    }

    /// <summary>A value quoted back in an error line: at most 40 characters.</summary>
    internal static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
