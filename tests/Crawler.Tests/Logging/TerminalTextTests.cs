using FunctionsCrawler.Logging;
using Xunit;

namespace FunctionsCrawler.Tests.Logging;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b[2J夜跑", "␛[2J夜跑")]
    [InlineData("ok\rforged line", "ok⏎forged line")]
    [InlineData("one\r\ntwo\nthree", "one⏎two⏎three")]
    [InlineData("evil\u202Etxt.exe", "evil\uFFFDtxt.exe")]
    [InlineData("\u2066isolate\u2069 \u200Fmark", "\uFFFDisolate\uFFFD \uFFFDmark")]
    [InlineData("cut\0here", "cut␀here")]
    [InlineData("tab\there", "tab here")]
    [InlineData("c1\u009bcsi del\u007f", "c1\uFFFDcsi del\uFFFD")]
    [InlineData("line\u2028sep", "line⏎sep")]
    public void Control_and_bidi_characters_become_visible_and_harmless(string crawled, string shown) =>
        Assert.Equal(shown, TerminalText.Clean(crawled));

    [Fact]
    public void Ordinary_text_is_returned_as_it_is()
    {
        const string text = "R&B <精选> 'mix', \"live\" 🎧🔥 =HYPERLINK(\"http://x\")";
        Assert.Same(text, TerminalText.Clean(text));
    }

    [Fact]
    public void Clean_lines_keeps_the_lines_of_a_stack_trace_and_cleans_each()
    {
        Assert.Equal("boom ␛[31m\n   at X.Y()", TerminalText.CleanLines("boom \u001b[31m\r\n   at X.Y()"));
    }
}
