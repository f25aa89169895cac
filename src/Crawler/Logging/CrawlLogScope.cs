using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Logging;

/// <summary>
/// The logging scope a step opens for the crawl it works on: every line logged inside it, by any logger,
/// carries <c>CrawlId</c> (in Application Insights: <c>customDimensions.CrawlId</c>).
/// </summary>
public static class CrawlLogScope
{
    public const string CrawlId = nameof(CrawlId);

    public static IDisposable? BeginCrawlScope(this ILogger log, string crawlId) =>
        log.BeginScope(new Dictionary<string, object> { [CrawlId] = crawlId });
}
