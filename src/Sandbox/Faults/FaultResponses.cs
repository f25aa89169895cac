using System.Text;
using FunctionsCrawler.Sandbox.Pages;

namespace FunctionsCrawler.Sandbox.Faults;

/// <summary>One canned response: status, content type and body, and Retry-After seconds (0 = no header).</summary>
internal sealed record CannedResponse(int Status, string ContentType, byte[] Body, string Outcome, int RetryAfterSeconds = 0);

/// <summary>
/// The bodies of server errors and of the block shapes from the reference: the five in rotation order,
/// or the one BlockShape names. Pages follow the page charset; the proxy's own error pages do not.
/// </summary>
internal sealed class FaultResponses(SandboxOptions options, PageCharset charset)
{
    public const string ServerBusyText = "很抱歉，服务器开小差了，请稍后再试";
    public const string VerifyText = "请完成验证操作";
    // A verification page the crawler must never open: the reserved .invalid domain resolves nowhere.
    public const string VerifyUrl = "http://st.not-allowed.invalid/encrypt-pages";
    private const int RotationLength = 5;
    private const string ProxyPage = "text/html;charset=utf-8";

    /// <summary>The block for the <paramref name="turn"/>-th blocked request of a window (0 = the one that opened it).</summary>
    public CannedResponse Block(int turn)
    {
        var block = options.BlockShape switch
        {
            "503" => ServerBusy(503),
            "429" => Proxy(429, "429 Too Many Requests", RequestLog.BlockedOutcome),
            "460" => Json(200, """{"code":-460,"msg":"Cheating"}"""),
            "460-400" => Json(400, """{"code":-460,"msg":"Cheating"}"""), // an API proxy relays the block as a client error
            "462" => Json(200, $$$"""{"code":-462,"data":{"blockText":"{{{VerifyText}}}","url":"{{{VerifyUrl}}}"}}"""),
            "empty" => new CannedResponse(200, charset.HtmlType, [], RequestLog.BlockedOutcome),
            _ => (turn % RotationLength) switch
            {
                0 => Json(200, """{"code":-460,"msg":"Cheating"}"""),
                1 => Json(200, """{"code":405,"msg":"操作频繁，请稍候再试"}"""),
                2 => Proxy(503, "503 Service Temporarily Unavailable", RequestLog.BlockedOutcome),
                3 => ServerBusy(200),
                _ => new CannedResponse(200, charset.HtmlType, [], RequestLog.BlockedOutcome),
            },
        };
        return block.Status is 503 or 429 && options.RetryAfterSeconds > 0
            ? block with { RetryAfterSeconds = options.RetryAfterSeconds }
            : block;
    }

    public static CannedResponse ServerError(int status) => status == 502
        ? Proxy(502, "502 Bad Gateway", "error")
        : Proxy(500, "500 Internal Server Error", "error");

    private CannedResponse Json(int status, string body) => new(status, charset.JsonType, Encoding.UTF8.GetBytes(body), RequestLog.BlockedOutcome);

    /// <summary>The site's own "server is taking a break" page.</summary>
    private CannedResponse ServerBusy(int status) => new(status, charset.HtmlType, charset.Encode(
        $"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"{charset.MetaName}\" />\n<title>网易云音乐</title>\n</head>\n<body>\n"
        + $"<div class=\"g-bd\"><div class=\"n-for404\"><p class=\"note s-fc3\">{ServerBusyText}</p></div></div>\n</body>\n</html>\n"), RequestLog.BlockedOutcome);

    /// <summary>An error page of the proxy in front of the site, labelled as it always is.</summary>
    private static CannedResponse Proxy(int status, string title, string outcome) => new(status, ProxyPage,
        Encoding.UTF8.GetBytes($"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center></body></html>"), outcome);
}
