using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing.RealCaptures;

/// <summary>Block bodies saved from the real site: Blocked by every parser, with the site's own words.</summary>
public class RealBlockTests
{
    private static void AssertBlockedEverywhere(int status, string body, string reason)
    {
        Assert.Equal((PageOutcome.Blocked, reason), ResponseClassifier.Classify(status, body));
        Assert.Equal((PageOutcome.Blocked, reason), Outcome(ListPageParser.Parse(status, body)));
        Assert.Equal((PageOutcome.Blocked, reason), Outcome(PlaylistPageParser.Parse(status, body, 1)));
        Assert.Equal((PageOutcome.Blocked, reason), Outcome(PlaylistApiParser.Parse(status, body, 1)));
        Assert.Equal((PageOutcome.Blocked, reason), Outcome(CategoryMenuParser.Parse(status, body)));
        Assert.Equal((PageOutcome.Blocked, reason), Outcome(PlaylistTracksParser.Parse(status, body, 1)));
        Assert.Equal((PageOutcome.Blocked, reason), Outcome(SongDetailParser.Parse(status, body, [1])));
    }

    private static (PageOutcome, string?) Outcome<T>(PageResult<T> result) => (result.Outcome, result.Reason);

    [RealCaptureFact]
    public void Cheating_460_of_2018_is_Blocked()
    {
        AssertBlockedEverywhere(200, RealCapture.Read("err_460_cheating_2018.json"), "code -460: Cheating");
    }

    [RealCaptureFact]
    public void Cheating_460_relayed_with_http_400_by_a_proxy_is_Blocked_not_Malformed()
    {
        AssertBlockedEverywhere(400, RealCapture.Read("err_460_via_proxy_http400_2020.json"), "code -460: Cheating (HTTP 400)");
    }

    [RealCaptureFact]
    public void Verification_462_with_block_text_is_Blocked()
    {
        AssertBlockedEverywhere(200, RealCapture.Read("err_462_blocktext_2023_transcribed.json"), "code -462: 请完成验证操作");
    }

    [RealCaptureFact]
    public void Verification_462_of_2023_is_Blocked()
    {
        AssertBlockedEverywhere(200, RealCapture.Read("err_462_verify_2023.json"), "code -462: 请完成验证操作");
    }
}
