namespace FunctionsCrawler.Configuration;

/// <summary>How the crawler talks to the site (configuration section <c>NetEase</c>; checked by <see cref="NetEaseOptionsValidator"/>).</summary>
public sealed class NetEaseOptions
{
    public const string Section = "NetEase";

    /// <summary>Site root; tests and --sandbox point it at the Sandbox.</summary>
    public string BaseUrl { get; set; } = "https://music.163.com";

    /// <summary>Politeness limit per politeness group (the site; the image CDN), across every process sharing the storage account.</summary>
    public double RequestsPerSecond { get; set; } = 2;

    /// <summary>
    /// Keep the limit across processes through the shared schedule in Table storage (<c>Pacer</c>); false keeps it
    /// per process only, with no storage transactions for pacing.
    /// </summary>
    public bool SharedPacer { get; set; } = true;

    /// <summary>How far apart the clocks of the processes sharing the schedule may be; the schedule's slots are spaced to allow for it.</summary>
    public double PacerClockSkewMs { get; set; } = 5;

    /// <summary><c>page</c> (the HTML detail page) or <c>api</c> (the JSON API) as the source of playlist details.</summary>
    public string DetailSource { get; set; } = "page";

    /// <summary>
    /// <c>api</c> (the JSON list answers, <c>/api/playlist/list</c>, which carry every field of a playlist: a detail
    /// request only where an item lacks one) or <c>page</c> (the HTML list pages and a detail request per playlist).
    /// </summary>
    public string ListSource { get; set; } = "api";

    /// <summary>Playlists asked for per JSON list answer (<c>limit</c>), 1 to 100; the site's own pages show 35.</summary>
    public int ListPageSize { get; set; } = 35;

    /// <summary>
    /// Song ids asked per song detail request, 1 to 1000 (public clients ask up to 1000). Up to about 250 fit a GET address;
    /// a larger batch is POSTed.
    /// </summary>
    public int SongBatchSize { get; set; } = 200;

    /// <summary>
    /// Other hosts a cover may come from, besides the site itself and NetEase's image CDN (<c>*.music.126.net</c>, https):
    /// comma-separated <c>host:port</c> authorities, over http or https (the Sandbox's cover host: <c>./run.sh --sandbox</c>
    /// sets it). Each is paced as its own politeness group, as the CDN is. Empty by default.
    /// </summary>
    public string ImageHosts { get; set; } = "";

    /// <summary><see cref="ImageHosts"/> as a list of authorities (lower case), empty entries left out.</summary>
    public IReadOnlyList<string> ImageHostList =>
        [.. ImageHosts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant())];

    /// <summary>Cover size asked of the image CDN (<c>?param=NyN</c>), 0 for the original (often 1200×1200 or more).</summary>
    public int CoverSize { get; set; }

    public string UserAgent { get; set; } =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>Largest cover accepted, in bytes (originals are often over 1 MB).</summary>
    public long MaxCoverBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest page or API answer accepted, in bytes after decompression (real pages are well under 1 MiB).</summary>
    public long MaxPageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long one request may take from leaving (after its turn in the pacer) to its last body byte.</summary>
    public int ReadTimeoutSeconds { get; set; } = 30;

    /// <summary>The first wait before retrying a transport fault or HTTP 500/502/504; doubled each retry, with jitter.</summary>
    public double RetryDelaySeconds { get; set; } = 1;

    /// <summary>The first pause after a block; each further block doubles it (capped at 30 min).</summary>
    public double BlockPauseSeconds { get; set; } = 30;

    public Uri BaseUri => new(BaseUrl.TrimEnd('/') + "/");

    /// <summary>
    /// The site a crawl belongs to: its base URL, normalized (scheme and host in lower case, default port dropped, no
    /// trailing slash). A run resumes only a crawl of the same site, and each site's dataset is kept apart.
    /// </summary>
    public string Site => SiteOf(BaseUrl);

    public static string SiteOf(string baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path).TrimEnd('/') : baseUrl;

    public bool UseJsonApi => string.Equals(DetailSource, "api", StringComparison.OrdinalIgnoreCase);

    public bool UseApiLists => string.Equals(ListSource, "api", StringComparison.OrdinalIgnoreCase);
}
