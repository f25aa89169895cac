using System.Text;

namespace FunctionsCrawler.Sandbox.Faults;

/// <summary>One canned response: status, content type and body.</summary>
internal sealed record CannedResponse(int Status, string ContentType, byte[] Body, string Outcome);

/// <summary>The bodies of server errors and of the five block shapes from the reference, in rotation order.</summary>
internal static class FaultResponses
{
    public const string ServerBusyText = "很抱歉，服务器开小差了，请稍后再试";
    private const string Json = "application/json;charset=UTF-8";
    private const string Page = "text/html;charset=utf-8";

    public static readonly IReadOnlyList<CannedResponse> BlockShapes =
    [
        new(200, Json, Encoding.UTF8.GetBytes("""{"code":-460,"msg":"Cheating"}"""), "blocked"),
        new(200, Json, Encoding.UTF8.GetBytes("""{"code":405,"msg":"操作频繁，请稍候再试"}"""), "blocked"),
        new(503, Page, Encoding.UTF8.GetBytes("<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>"), "blocked"),
        new(200, Page, Encoding.UTF8.GetBytes(
            "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\" />\n<title>网易云音乐</title>\n</head>\n<body>\n"
            + $"<div class=\"g-bd\"><div class=\"n-for404\"><p class=\"note s-fc3\">{ServerBusyText}</p></div></div>\n</body>\n</html>\n"), "blocked"),
        new(200, Page, [], "blocked"),
    ];

    public static CannedResponse ServerError(int status) => new(
        status,
        Page,
        Encoding.UTF8.GetBytes(status == 502
            ? "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"
            : "<html><head><title>500 Internal Server Error</title></head><body><center><h1>500 Internal Server Error</h1></center></body></html>"),
        "error");
}
