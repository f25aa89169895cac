using System.Text;
using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.NetEase;

public sealed class PageTextTests
{
    private const string Chinese = "很抱歉，服务器开小差了";

    [Theory]
    [InlineData("text/html;charset=utf8")]
    [InlineData("text/html;charset=UTF8")]
    [InlineData("text/html; charset=utf-8")]
    [InlineData("text/html; charset=\"utf-8\"")]
    [InlineData("text/html; charset='UTF-8'")]
    [InlineData("text/html; charset=unicode-1-1-utf-8")]
    [InlineData("text/html; charset=no-such-label")]
    [InlineData("text/html; charset=")]
    [InlineData("text/html")]
    [InlineData(null)]
    public void UTF8_bytes_decode_under_every_label_browsers_read_as_UTF8_or_ignore(string? contentType) =>
        Assert.Equal(Chinese, PageText.Decode(Encoding.UTF8.GetBytes(Chinese), contentType));

    [Theory]
    [InlineData("gbk")]
    [InlineData("GB2312")]
    [InlineData("x-gbk")]
    [InlineData("gb18030")]
    public void GBK_labels_decode_GBK_bytes(string label)
    {
        var bytes = PageText.Resolve("gbk")!.GetBytes(Chinese);
        Assert.Equal(Chinese, PageText.Decode(bytes, $"text/html; charset={label}"));
    }

    [Fact]
    public void A_meta_charset_is_used_when_the_header_has_none()
    {
        var html = $"<html><head><meta charset=\"gbk\"><title>{Chinese}</title></head></html>";
        var bytes = PageText.Resolve("gbk")!.GetBytes(html);
        Assert.Contains(Chinese, PageText.Decode(bytes, "text/html"));
    }

    [Fact]
    public void A_meta_http_equiv_content_type_is_used_when_the_header_has_none()
    {
        var html = $"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>{Chinese}</title></head></html>";
        Assert.Contains(Chinese, PageText.Decode(PageText.Resolve("gbk")!.GetBytes(html), null));
    }

    [Fact]
    public void A_byte_order_mark_wins_over_the_label_as_in_browsers()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Chinese)).ToArray();
        Assert.Equal(Chinese, PageText.Decode(bytes, "text/html; charset=gbk"));
    }

    [Fact]
    public void Invalid_bytes_become_replacement_characters_never_an_exception()
    {
        byte[] bytes = [0x41, 0xFF, 0xFE, 0xC0, 0x42];
        Assert.Equal("A\uFFFD\uFFFD\uFFFDB", PageText.Decode(bytes, "text/html;charset=utf8"));
        Assert.Contains('\uFFFD', PageText.Decode([0x81, 0x20, 0xFF], "text/html;charset=gbk"));
    }
}
