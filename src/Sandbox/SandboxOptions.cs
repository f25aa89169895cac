using System.Reflection;
using System.Text.RegularExpressions;
using FunctionsCrawler.Sandbox.Catalog;
using Microsoft.Extensions.Configuration;

namespace FunctionsCrawler.Sandbox;

/// <summary>How the Sandbox site behaves. Bound from the configuration section "Sandbox".</summary>
public sealed partial class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>The <see cref="CoverRedirectTo"/> value that redirects to the same image on the Sandbox.</summary>
    public const string SelfRedirect = "self";

    /// <summary>The last <see cref="Day"/> the Sandbox shows: ten years after day 0.</summary>
    public const int MaxDay = 3650;

    private static readonly string[] BlockShapes = ["rotate", "503", "429", "460", "460-400", "462", "empty"];
    private static readonly string[] PageEncodings = ["utf-8", "gbk"];
    private static readonly string[] BombCoverShapes = ["rotate", "gif", "png"];

    private readonly PlaylistIdList _failingIds = new(nameof(FailingIds));
    private readonly PlaylistIdList _dripIds = new(nameof(DripIds));
    private readonly PlaylistIdList _inflateIds = new(nameof(InflateIds));
    private readonly PlaylistIdList _hugeCountIds = new(nameof(HugeCountIds));
    private readonly PlaylistIdList _redirectCoverIds = new(nameof(RedirectCoverIds));
    private readonly PlaylistIdList _oneTrackIds = new(nameof(OneTrackIds));
    private readonly PlaylistIdList _bombCoverIds = new(nameof(BombCoverIds));
    private readonly CategoryNameList _notAListCategories = new();

    /// <summary>Seeds the catalog and the fault RNG: the same seed gives the same site.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Most pages a category has; see the README for which categories have fewer.</summary>
    public int PagesPerCategory { get; set; } = 3;

    /// <summary>Every category with items (but the single-page one) has PagesPerCategory pages: a whole-site soak's size.</summary>
    public bool AllPagesFull { get; set; }

    /// <summary>Items on a category's last page: 0 = varies by category (21..34), 1..35 = fixed for all.</summary>
    public int LastPageSize { get; set; }

    /// <summary>Categories in the list pages' category menu: 0 = the reference's full list, N = its first N.</summary>
    public int MenuCategories { get; set; }

    /// <summary>Delay added before every site response.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Fraction (0..1) of site requests answered HTTP 500/502.</summary>
    public double ErrorRate { get; set; }

    /// <summary>After this many page/API requests a block window opens; 0 = never block.</summary>
    public int BlockAfterRequests { get; set; }

    /// <summary>How long a block window lasts.</summary>
    public int BlockForSeconds { get; set; } = 20;

    /// <summary>What a blocked request gets: rotate (five shapes in turn), 503, 429, 460, 460-400, 462 or empty.</summary>
    public string BlockShape { get; set; } = "rotate";

    /// <summary>Retry-After seconds on 503 and 429 blocks; 0 = no header.</summary>
    public int RetryAfterSeconds { get; set; }

    /// <summary>Fraction (0..1) of ordinary playlist ids that are deleted (listed, but not found) on day 0.</summary>
    public double DeletedRate { get; set; } = 0.03;

    /// <summary>
    /// Which day of the catalogue the site serves, 0..MaxDay: day 0 is the generated catalogue, each later day follows
    /// from the one before (counts grow, tracks and covers change, new playlists, deletions; see the README).
    /// Settable while running: every answer after the change is the new day's.
    /// </summary>
    public int Day { get; set; }

    /// <summary>Overrides the list API's <c>total</c> (any value, negative or absurd); 0 = the real count. Settable while running.</summary>
    public long ListTotal { get; set; }

    /// <summary>The list API says <c>"more":true</c> on every answer, also past the end. Settable while running.</summary>
    public bool ListMoreAlways { get; set; }

    /// <summary>
    /// 0 (default): covers are served from the site's own host. 1..65535: covers (and avatars and album art) are served
    /// from a host of their own, <c>127.0.0.1:CoverPort</c>, as the real site's come from its image CDN, and that host
    /// serves images only. A crawler then paces them apart from the pages (its politeness groups are hosts) and must be
    /// told the host is allowed (<c>NetEase__ImageHosts</c>; <c>./run.sh --sandbox</c> does both).
    /// </summary>
    public int CoverPort { get; set; }

    /// <summary>
    /// Most tracks an ordinary playlist lists on the day it is first listed (1..999; default 999, about 500 on average):
    /// the same draw, scaled down, so a smaller value gives the same site with shorter lists. The special track-list
    /// shapes (empty, over 1,000) keep their lengths. For tests that crawl tracks without needing hundreds a playlist.
    /// </summary>
    public int MaxTrackCount { get; set; } = 999;

    /// <summary>Most song ids one song detail request may ask for; more is a code 400 answer.</summary>
    public int SongDetailLimit { get; set; } = 1000;

    /// <summary>
    /// Fraction (0..1) of playlists, seeded per id, whose detail API answers a one-track list (as a distrusted address
    /// gets), besides <see cref="OneTrackIds"/>. Settable while running.
    /// </summary>
    public double OneTrackRate { get; set; }

    /// <summary>The charset parameter of the HTML pages' Content-Type, sent verbatim (utf8, UTF8, "utf-8", gbk); empty = none.</summary>
    public string CharsetLabel { get; set; } = "utf-8";

    /// <summary>The charset parameter of the JSON API's Content-Type, sent verbatim; empty = none.</summary>
    public string ApiCharsetLabel { get; set; } = "UTF-8";

    /// <summary>The bytes of HTML pages: utf-8 or gbk (any case); the page's meta charset says which.</summary>
    public string PageEncoding { get; set; } = "utf-8";

    /// <summary>Pages claimed by every list page's pager (the items still stop at the real last page); 0 = the real count.</summary>
    public long PagerLastPage { get; set; }

    /// <summary>Milliseconds between the bytes of a <see cref="DripIds"/> response.</summary>
    public int DripIntervalMs { get; set; } = 1000;

    /// <summary>What a <see cref="InflateIds"/> detail page inflates to, in megabytes.</summary>
    public int InflateMegabytes { get; set; } = 200;

    /// <summary>Where a <see cref="RedirectCoverIds"/> cover redirects: an absolute URL, or "self" (the same image at another path of the Sandbox).</summary>
    public string CoverRedirectTo { get; set; } = "http://169.254.169.254/latest/meta-data/";

    /// <summary>
    /// Comma-separated playlist ids whose detail page and API always answer HTTP 500 (to drive a message
    /// into the poison queue). Can be changed while the site runs, e.g. cleared to let a retry succeed.
    /// </summary>
    public string FailingIds { get => _failingIds.Text; set => _failingIds.Text = value; }

    /// <summary>Playlist ids whose detail page and API send their body one byte per DripIntervalMs. Settable while running.</summary>
    public string DripIds { get => _dripIds.Text; set => _dripIds.Text = value; }

    /// <summary>Playlist ids whose detail page is a small gzip body that inflates to InflateMegabytes. Settable while running.</summary>
    public string InflateIds { get => _inflateIds.Text; set => _inflateIds.Text = value; }

    /// <summary>Playlist ids whose play count is shown too large for 64 bits. Settable while running.</summary>
    public string HugeCountIds { get => _hugeCountIds.Text; set => _hugeCountIds.Text = value; }

    /// <summary>Playlist ids whose full-size cover answers 302 to CoverRedirectTo. Settable while running.</summary>
    public string RedirectCoverIds { get => _redirectCoverIds.Text; set => _redirectCoverIds.Text = value; }

    /// <summary>
    /// Playlist ids whose detail API answers <c>trackIds</c> and <c>tracks</c> with the first track only while
    /// <c>trackCount</c> stays the real one (the shape a distrusted address gets). Settable while running.
    /// </summary>
    public string OneTrackIds { get => _oneTrackIds.Text; set => _oneTrackIds.Text = value; }

    /// <summary>
    /// Playlist ids whose cover (full size and every <c>?param=</c> size) is a decompression bomb that passes an "is it an
    /// image" sniff (<see cref="Faults.CoverBomb"/>). Settable while running.
    /// </summary>
    public string BombCoverIds { get => _bombCoverIds.Text; set => _bombCoverIds.Text = value; }

    /// <summary>Fraction (0..1) of playlists, seeded per id, whose cover is a bomb, besides <see cref="BombCoverIds"/>. Settable while running.</summary>
    public double BombCoverRate { get; set; }

    /// <summary>Which bomb a bomb cover is: rotate (a GIF for an even id, a PNG for an odd one), gif or png. Settable while running.</summary>
    public string BombCoverShape { get; set; } = "rotate";

    /// <summary>Comma-separated categories whose list API answers an HTML page with HTTP 200 instead of JSON. Settable while running.</summary>
    public string NotAListCategories { get => _notAListCategories.Text; set => _notAListCategories.Text = value; }

    public bool IsFailing(long playlistId) => _failingIds.Contains(playlistId);

    internal bool Drips(long playlistId) => _dripIds.Contains(playlistId);

    internal bool Inflates(long playlistId) => _inflateIds.Contains(playlistId);

    internal bool HasHugeCount(long playlistId) => _hugeCountIds.Contains(playlistId);

    internal bool RedirectsCover(long playlistId) => _redirectCoverIds.Contains(playlistId);

    internal bool ListIsNotJson(string category) => _notAListCategories.Contains(category);

    /// <summary>Whether the playlist's cover is a bomb (<see cref="BombCoverIds"/>, <see cref="BombCoverRate"/>).</summary>
    public bool ServesBombCover(long playlistId) =>
        _bombCoverIds.Contains(playlistId)
        || (BombCoverRate > 0 && StableHash.Unit(StableHash.Of(Seed, "bomb-cover", playlistId)) < BombCoverRate);

    /// <summary>Whether a bomb cover of this playlist is the GIF (else the PNG), as <see cref="BombCoverShape"/> says.</summary>
    public bool BombCoverIsGif(long playlistId) => BombCoverShape switch
    {
        "gif" => true,
        "png" => false,
        _ => playlistId % 2 == 0,
    };

    internal bool AnswersOneTrack(long playlistId) =>
        _oneTrackIds.Contains(playlistId)
        || (OneTrackRate > 0 && StableHash.Unit(StableHash.Of(Seed, "one-track", playlistId)) < OneTrackRate);

    /// <summary>Binds and validates the section; a bad value throws an ArgumentException with a one-line message.</summary>
    public static SandboxOptions From(IConfiguration configuration)
    {
        var options = new SandboxOptions();
        try
        {
            configuration.GetSection(Section).Bind(options);
        }
        catch (TargetInvocationException error) when (error.InnerException is ArgumentException invalid)
        {
            throw invalid; // a list setter refused its value
        }
        catch (InvalidOperationException error)
        {
            // The binder's own message names the key and the type: "Failed to convert configuration value 'x' at 'Sandbox:Seed' ...".
            throw new ArgumentException(error.Message, error);
        }
        options.Validate();
        return options;
    }

    public void Validate()
    {
        Require(PagesPerCategory >= 1, nameof(PagesPerCategory), PagesPerCategory, "must be at least 1");
        Require(LastPageSize is >= 0 and <= SandboxCatalog.PageSize, nameof(LastPageSize), LastPageSize, "must be 0 (varies) or 1..35");
        Require(MenuCategories >= 0, nameof(MenuCategories), MenuCategories, "must be 0 (all) or a count of categories");
        Require(LatencyMs >= 0, nameof(LatencyMs), LatencyMs, "must not be negative");
        Require(ErrorRate is >= 0 and <= 1, nameof(ErrorRate), ErrorRate, "must be within 0..1");
        Require(DeletedRate is >= 0 and <= 1, nameof(DeletedRate), DeletedRate, "must be within 0..1");
        Require(OneTrackRate is >= 0 and <= 1, nameof(OneTrackRate), OneTrackRate, "must be within 0..1");
        Require(BombCoverRate is >= 0 and <= 1, nameof(BombCoverRate), BombCoverRate, "must be within 0..1");
        Require(BombCoverShapes.Contains(BombCoverShape), nameof(BombCoverShape), BombCoverShape, "must be one of " + string.Join(", ", BombCoverShapes));
        Require(CoverPort is >= 0 and <= 65535, nameof(CoverPort), CoverPort, "must be 0 (the site's own host) or a port, 1 to 65535");
        Require(MaxTrackCount is >= 1 and <= 999, nameof(MaxTrackCount), MaxTrackCount, "must be 1 to 999");
        Require(SongDetailLimit >= 1, nameof(SongDetailLimit), SongDetailLimit, "must be at least 1");
        Require(Day is >= 0 and <= MaxDay, nameof(Day), Day, $"must be within 0..{MaxDay} (days after the generated catalogue)");
        Require(BlockAfterRequests >= 0, nameof(BlockAfterRequests), BlockAfterRequests, "must not be negative");
        Require(BlockForSeconds >= 0, nameof(BlockForSeconds), BlockForSeconds, "must not be negative");
        Require(BlockShapes.Contains(BlockShape), nameof(BlockShape), BlockShape, "must be one of " + string.Join(", ", BlockShapes));
        Require(RetryAfterSeconds >= 0, nameof(RetryAfterSeconds), RetryAfterSeconds, "must not be negative");
        Require(CharsetLabel is not null && CharsetParameter().IsMatch(CharsetLabel), nameof(CharsetLabel), CharsetLabel,
            "must be empty, a token such as utf8 or gbk, or a quoted token such as \"utf-8\"");
        Require(ApiCharsetLabel is not null && CharsetParameter().IsMatch(ApiCharsetLabel), nameof(ApiCharsetLabel), ApiCharsetLabel,
            "must be empty, a token such as UTF-8, or a quoted token");
        Require(PageEncodings.Contains(PageEncoding, StringComparer.OrdinalIgnoreCase), nameof(PageEncoding), PageEncoding, "must be utf-8 or gbk");
        Require(PagerLastPage is >= 0 and <= int.MaxValue, nameof(PagerLastPage), PagerLastPage, "must be 0 (real) or 1..2147483647");
        Require(DripIntervalMs is >= 1 and <= 60_000, nameof(DripIntervalMs), DripIntervalMs, "must be within 1..60000");
        Require(InflateMegabytes is >= 1 and <= 4096, nameof(InflateMegabytes), InflateMegabytes, "must be within 1..4096");
        Require(CoverRedirectTo == SelfRedirect || (CoverRedirectTo is not null && UrlScheme().IsMatch(CoverRedirectTo) && Uri.TryCreate(CoverRedirectTo, UriKind.Absolute, out _)),
            nameof(CoverRedirectTo), CoverRedirectTo,
            "must be an absolute URL or self");
    }

    // NaN fails every range check above, so it is refused too.
    private static void Require(bool valid, string key, object? value, string rule)
    {
        if (!valid)
            throw new ArgumentOutOfRangeException(key, $"Sandbox:{key}={value} {rule}");
    }

    /// <summary>An HTTP token or a quoted token (RFC 9110), or nothing; no spaces, semicolons or line breaks.</summary>
    [GeneratedRegex("""^([!#$%&'*+.^_`|~0-9A-Za-z-]*|"[!#$%&'*+.^_`|~0-9A-Za-z-]*")\z""")]
    private static partial Regex CharsetParameter();

    // On Unix "/path" parses as an absolute file URI; a redirect target must name its scheme.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex UrlScheme();
}
