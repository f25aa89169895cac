namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>The site's page for a missing or deleted playlist (served with HTTP 200, as a soft 404).</summary>
internal static class NotFoundPage
{
    public const string Text = "很抱歉，你要查找的网页找不到";

    public static string Render(string metaCharset) =>
        $"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"{metaCharset}\" />\n<title>网易云音乐</title>\n</head>\n<body>\n"
        + "<div class=\"g-bd\"><div class=\"n-for404\">\n"
        + $"<p class=\"note s-fc3\">{Text}</p>\n"
        + "</div></div>\n</body>\n</html>\n";
}
