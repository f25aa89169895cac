namespace FunctionsCrawler.NetEase;

/// <summary>Where a cover may come from: NetEase's image CDN (<c>*.music.126.net</c>) or the configured site itself.</summary>
public static class CoverHosts
{
    public const string ImageCdnSuffix = ".music.126.net";

    public static bool IsAllowed(Uri url, Uri siteBase) =>
        url.IsAbsoluteUri
        && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
        && (url.Host.EndsWith(ImageCdnSuffix, StringComparison.OrdinalIgnoreCase)
            || string.Equals(url.Authority, siteBase.Authority, StringComparison.OrdinalIgnoreCase));
}
