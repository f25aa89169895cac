using System.Globalization;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>The play count on list pages: the number below 100000, else whole 万 (ten-thousands).</summary>
internal static class PlayCountText
{
    public static string ForList(long playCount) => playCount < 100_000
        ? playCount.ToString(CultureInfo.InvariantCulture)
        : (playCount / 10_000).ToString(CultureInfo.InvariantCulture) + "万";
}
