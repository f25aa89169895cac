namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>The play count shown for HugeCountIds: more than a 64-bit integer holds (long.MaxValue is 19 digits).</summary>
internal static class HugePlayCount
{
    /// <summary><c>strong#play-count</c> on the detail page.</summary>
    public const string Detail = "9999999999999999999999";

    /// <summary><c>span.nb</c> on list pages, in 亿 (hundred millions).</summary>
    public const string List = "9999999999999亿";

    /// <summary>The API's <c>playCount</c>, a JSON number.</summary>
    public const string Api = "99999999999999999999999";
}
