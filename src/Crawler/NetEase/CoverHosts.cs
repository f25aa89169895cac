namespace FunctionsCrawler.NetEase;

/// <summary>
/// Where a cover may come from: NetEase's image CDN (<c>*.music.126.net</c>) over https only (it serves https; plain
/// http could be altered on the path, so a redirect there to http is not followed), or the configured site itself.
/// </summary>
public static class CoverHosts
{
    public const string ImageCdnSuffix = ".music.126.net";

    public static bool IsAllowed(Uri url, Uri siteBase) =>
        url.IsAbsoluteUri
        && (url.Host.EndsWith(ImageCdnSuffix, StringComparison.OrdinalIgnoreCase)
            ? url.Scheme == Uri.UriSchemeHttps
            : (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
              && string.Equals(url.Authority, siteBase.Authority, StringComparison.OrdinalIgnoreCase));
}
