namespace FunctionsCrawler.NetEase;

/// <summary>
/// Where a cover may come from: NetEase's image CDN (<c>*.music.126.net</c>) over https only (it serves https; plain
/// http could be altered on the path, so a redirect there to http is not followed), the configured site itself, or a
/// host named in <c>NetEase__ImageHosts</c> (the Sandbox's cover host), over http or https.
/// </summary>
public static class CoverHosts
{
    public const string ImageCdnSuffix = ".music.126.net";

    public static bool IsAllowed(Uri url, Uri siteBase, IReadOnlyCollection<string>? imageHosts = null) =>
        url.IsAbsoluteUri
        && (url.Host.EndsWith(ImageCdnSuffix, StringComparison.OrdinalIgnoreCase)
            ? url.Scheme == Uri.UriSchemeHttps
            : (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
              && (string.Equals(url.Authority, siteBase.Authority, StringComparison.OrdinalIgnoreCase)
                  || imageHosts?.Contains(url.Authority, StringComparer.OrdinalIgnoreCase) == true));
}
