using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

public class ResponseClassifierTests
{
    public static TheoryData<string, string> BlockBodies => new()
    {
        { """{"code":-460,"msg":"Cheating"}""", "code -460: Cheating" },
        { """{"code":-460,"msg":"网络太拥挤，请稍候再试！"}""", "code -460: 网络太拥挤，请稍候再试！" },
        { """{"code":-460,"msg":"检测到您的网络环境存在风险，请稍后再试"}""", "code -460: 检测到您的网络环境存在风险，请稍后再试" },
        { """{"code":-462,"data":{"blockText":"请完成验证后继续","actionCode":"1","url":"https://st.music.163.com/encrypt-pages"},"message":""}""", "code -462: 请完成验证后继续" },
        { """{"code":-462,"blockText":"请完成验证"}""", "code -462: 请完成验证" },
        { """{"code":405,"msg":"操作频繁，请稍候再试"}""", "code 405: 操作频繁，请稍候再试" },
        { """{"code":406,"msg":"操作频繁，请稍候再试"}""", "code 406: 操作频繁，请稍候再试" },
        { """{"code":405}""", "code 405" },
    };

    [Theory]
    [MemberData(nameof(BlockBodies))]
    public void Json_block_codes_are_Blocked_with_code_and_message(string body, string reason)
    {
        Assert.Equal((PageOutcome.Blocked, reason), ResponseClassifier.Classify(200, body));
    }

    [Theory]
    [InlineData("""{"code":301}""", "code 301")]
    [InlineData("""{"code":20001,"msg":"登录后才可查看"}""", "code 20001: 登录后才可查看")]
    [InlineData("""{"code":401,"msg":"无访问权限"}""", "code 401: 无访问权限")]
    [InlineData("""{"code":404,"msg":"歌单不存在"}""", "code 404: 歌单不存在")]
    [InlineData("""{"code":"404","message":"not found"}""", "code 404: not found")]
    public void Json_login_private_and_missing_codes_are_Gone(string body, string reason)
    {
        Assert.Equal((PageOutcome.Gone, reason), ResponseClassifier.Classify(200, body));
    }

    [Fact]
    public void Http_503_is_Blocked()
    {
        Assert.Equal((PageOutcome.Blocked, "HTTP 503 from site"), ResponseClassifier.Classify(503, "<html>Service Unavailable</html>"));
    }

    [Fact]
    public void Http_429_is_Blocked()
    {
        Assert.Equal((PageOutcome.Blocked, "HTTP 429 from site"), ResponseClassifier.Classify(429, ""));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public void Other_http_5xx_is_Malformed_to_be_retried(int status)
    {
        Assert.Equal((PageOutcome.Malformed, $"HTTP {status} from site"), ResponseClassifier.Classify(status, "oops"));
    }

    [Fact]
    public void Http_404_is_Gone()
    {
        Assert.Equal((PageOutcome.Gone, "HTTP 404 from site"), ResponseClassifier.Classify(404, "<html></html>"));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(302)]
    public void Other_non_success_status_is_Malformed(int status)
    {
        Assert.Equal(PageOutcome.Malformed, ResponseClassifier.Classify(status, "<html></html>").Outcome);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \r\n\t ")]
    public void Empty_body_with_200_is_Blocked(string? body)
    {
        Assert.Equal((PageOutcome.Blocked, "empty body"), ResponseClassifier.Classify(200, body));
    }

    [Fact]
    public void Overload_page_is_Blocked()
    {
        var (outcome, reason) = ResponseClassifier.Classify(200, Fixture.Read("site-overloaded.html"));

        Assert.Equal(PageOutcome.Blocked, outcome);
        Assert.Contains("服务器开小差", reason);
    }

    [Fact]
    public void Not_found_page_is_Gone()
    {
        Assert.Equal((PageOutcome.Gone, "page not found"), ResponseClassifier.Classify(200, Fixture.Read("playlist-not-found.html")));
    }

    [Fact]
    public void Playlist_page_quoting_the_error_phrases_in_its_description_is_Ok()
    {
        var page = Fixture.Read("playlist-988690134.html");
        Assert.Contains("服务器开小差", page);
        Assert.Contains("你要查找的网页找不到", page);

        Assert.Equal((PageOutcome.Ok, null), ResponseClassifier.Classify(200, page));
    }

    [Theory]
    [InlineData("""{"code":200,"playlist":{"id":1}}""")]
    [InlineData("""{"code":500,"msg":"服务器错误"}""")]
    [InlineData("""{"code":200,""")]
    [InlineData("[1,2]")]
    [InlineData("<html><body>hello</body></html>")]
    public void Anything_else_is_Ok_to_go_on_parsing(string body)
    {
        Assert.Equal((PageOutcome.Ok, null), ResponseClassifier.Classify(200, body));
    }

    [Fact]
    public void Json_after_a_byte_order_mark_and_whitespace_is_still_read()
    {
        Assert.Equal(PageOutcome.Blocked, ResponseClassifier.Classify(200, "\uFEFF \n{\"code\":-460,\"msg\":\"Cheating\"}").Outcome);
    }

    [Fact]
    public void Reason_is_one_short_line_even_for_a_long_multi_line_message()
    {
        var message = string.Join("\\n", Enumerable.Repeat("请稍后再试 try again later", 40));
        var (outcome, reason) = ResponseClassifier.Classify(200, $$"""{"code":-460,"msg":"{{message}}"}""");

        Assert.Equal(PageOutcome.Blocked, outcome);
        Assert.NotNull(reason);
        Assert.DoesNotContain('\n', reason);
        Assert.DoesNotContain('\r', reason);
        Assert.InRange(reason.Length, 20, 100);
        Assert.StartsWith("code -460: 请稍后再试 try again later 请稍后再试", reason);
        Assert.EndsWith("…", reason);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(302)]
    public void Json_block_codes_are_Blocked_whatever_the_http_status(int status)
    {
        foreach (var (body, reason) in new[]
                 {
                     ("""{"msg":"Cheating","code":-460,"message":"Cheating"}""", "code -460: Cheating"),
                     ("""{"code":-462,"message":"请完成验证操作"}""", "code -462: 请完成验证操作"),
                     ("""{"code":405,"msg":"操作频繁，请稍候再试"}""", "code 405: 操作频繁，请稍候再试"),
                     ("""{"code":406}""", "code 406"),
                 })
        {
            Assert.Equal((PageOutcome.Blocked, $"{reason} (HTTP {status})"), ResponseClassifier.Classify(status, body));
        }
    }

    [Theory]
    [InlineData(200)]
    [InlineData(500)]
    [InlineData(403)]
    [InlineData(404)]
    public void Overload_page_is_Blocked_whatever_the_http_status(int status)
    {
        var (outcome, reason) = ResponseClassifier.Classify(status, Fixture.Read("site-overloaded.html"));

        Assert.Equal(PageOutcome.Blocked, outcome);
        Assert.StartsWith("site overload page (服务器开小差)", reason);
    }

    [Theory]
    [InlineData(400, """{"code":404,"msg":"歌单不存在"}""")]
    [InlineData(403, """{"code":20001,"msg":"登录后才可查看"}""")]
    [InlineData(500, """{"code":301}""")]
    public void Gone_codes_under_an_error_status_are_Malformed_never_Gone(int status, string body)
    {
        Assert.Equal((PageOutcome.Malformed, $"HTTP {status} from site"), ResponseClassifier.Classify(status, body));
    }

    [Theory]
    [InlineData(404, "", PageOutcome.Gone)]
    [InlineData(500, "", PageOutcome.Malformed)]
    [InlineData(403, "  ", PageOutcome.Malformed)]
    [InlineData(503, "", PageOutcome.Blocked)]
    [InlineData(204, "", PageOutcome.Blocked)]
    public void Empty_body_is_Blocked_only_under_a_success_status(int status, string body, PageOutcome expected)
    {
        Assert.Equal(expected, ResponseClassifier.Classify(status, body).Outcome);
    }

    [Fact]
    public void Http_504_is_Malformed_from_site()
    {
        Assert.Equal((PageOutcome.Malformed, "HTTP 504 from site"), ResponseClassifier.Classify(504, "<html>Gateway Timeout</html>"));
    }

    [Theory]
    [InlineData("""{"code":200,"playlist":{"id":1,"name":"x","description":"很抱歉，服务器开小差了，请稍后再试"}}""")]
    [InlineData("""{"code":200,"playlist":{"id":1,"name":"很抱歉，你要查找的网页找不到"}}""")]
    public void Json_quoting_the_error_phrases_in_user_text_is_Ok(string body)
    {
        Assert.Equal((PageOutcome.Ok, null), ResponseClassifier.Classify(200, body));
    }

    [Fact]
    public void Json_with_a_lone_surrogate_is_left_to_the_parser()
    {
        Assert.Equal((PageOutcome.Ok, null), ResponseClassifier.Classify(200, "{\"code\":-460,\"msg\":\"\uD800\"}"));
    }
}
