using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FunctionsCrawler.Dashboard.Tests;

/// <summary>What can be checked on the page's source without a browser.</summary>
public sealed partial class DashboardPageTests
{
    private static readonly string Html = DashboardPage.Html;
    private static string Script => ScriptBlock().Match(Html).Groups["body"].Value;

    [Fact]
    public void Page_is_one_html_document_with_a_viewport()
    {
        Assert.StartsWith("<!DOCTYPE html>", Html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", Html, StringComparison.Ordinal);
        Assert.Single(ScriptBlock().Matches(Html));
    }

    [Fact]
    public void Page_loads_nothing_from_elsewhere()
    {
        Assert.DoesNotMatch(@"(src|(?<!<a )href)\s*=\s*""(?!data:)", Html); // a link the user follows loads nothing
        Assert.All(Regex.Matches(Html, @"<a href=""(?<to>[^""]*)""").Select(m => m.Groups["to"].Value), to => Assert.StartsWith("./", to, StringComparison.Ordinal));
        Assert.DoesNotContain("@import", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"url\(", Html);
        // The only absolute URL is the SVG namespace.
        Assert.Equal(["http://www.w3.org/2000/svg"], AbsoluteUrl().Matches(Html).Select(m => m.Value).Distinct());
    }

    [Fact]
    public void Script_never_turns_data_into_markup()
    {
        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "srcdoc" })
            Assert.DoesNotContain(sink, Script, StringComparison.Ordinal);
    }

    [Fact]
    public void Content_security_policy_allows_only_the_page_own_script()
    {
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Script)));
        Assert.Contains($"script-src 'sha256-{hash}'", Html, StringComparison.Ordinal);
        Assert.DoesNotContain("__SCRIPT_HASH__", Html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_is_polled_by_a_relative_url_so_any_host_prefix_works()
    {
        Assert.Contains("\"./status\"", Script, StringComparison.Ordinal);
        Assert.Contains("\"./crawls/\" + encodeURIComponent(crawl)", Script, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/", Script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("running")]
    [InlineData("paused")]
    [InlineData("completed")]
    [InlineData("failed")]
    [InlineData("cancelled")]
    public void Every_state_the_status_reports_has_its_own_badge(string state)
    {
        Assert.Matches(@"const known = \[[^\]]*""" + state + @"""", Script);
        Assert.Contains($".badge.{state} {{", Html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_csv_link_says_to_give_the_function_key_after_the_hash_where_no_server_sees_it()
    {
        var export = Regex.Match(Html, @"<p[^>]*id=""export""[^>]*>(?<text>.*?)</p>", RegexOptions.Singleline).Groups["text"].Value;
        Assert.Contains("href=\"./playlists.csv\"", export, StringComparison.Ordinal);
        Assert.Contains("#code=&lt;function key&gt;", export, StringComparison.Ordinal);
        Assert.Contains("x-functions-key", export, StringComparison.Ordinal);
    }

    [GeneratedRegex("<script>(?<body>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();

    [GeneratedRegex(@"https?://[^\s""'<>)]+")]
    private static partial Regex AbsoluteUrl();
}
