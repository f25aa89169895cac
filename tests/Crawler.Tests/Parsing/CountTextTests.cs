using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

public class CountTextTests
{
    [Theory]
    [InlineData("9223372036854775807", 9223372036854775807L)]
    [InlineData("0009223372036854775807", 9223372036854775807L)]
    [InlineData("99999999999万", 999999999990000L)]
    [InlineData("92233720368.5477万", 922337203685477L)]
    [InlineData("92233720368亿", 9223372036800000000L)]
    [InlineData("0", 0L)]
    [InlineData("(0)", 0L)]
    public void Numbers_up_to_64_bits_read_exactly(string text, long expected)
    {
        Assert.Equal(CountReading.Of(expected), CountText.Read(text));
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("9999999999999999999999")]
    [InlineData("9999999999999亿")]
    [InlineData("92233720369亿")]
    [InlineData("922337203685477.5808万")]
    [InlineData("99999999999999999999999999999999999999999999")]
    [InlineData("(1,000,000,000,000,000,000,000)")]
    public void Numbers_past_64_bits_read_as_too_large_never_as_zero(string text)
    {
        Assert.Equal(CountReading.Overflow, CountText.Read(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("评论")]
    [InlineData("万")]
    [InlineData(".")]
    public void Text_without_digits_reads_as_no_number(string? text)
    {
        Assert.Equal(CountReading.None, CountText.Read(text));
    }
}
