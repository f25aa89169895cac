using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

/// <summary>
/// A JSON answer may escape half an emoji (<c>"\ud83d"</c>: a server cut a UTF-16 name mid-pair). The document parses but
/// the runtime refuses to read that string; every parser reads it with U+FFFD in place of the half and keeps the rest.
/// </summary>
public class UnpairedSurrogateTests
{
    private const string Half = "\\ud83d";

    [Fact]
    public void A_name_with_half_an_emoji_reads_with_a_replacement_character()
    {
        var body = Fixture.Read("api-v6-playlist-2829883282.json")
            .Replace("\"name\":\"午夜电台 | 霓虹城市里的合成器之声\"", $"\"name\":\"午夜{Half}电台\\n\\u00e9\\\\\"", StringComparison.Ordinal);

        var result = PlaylistApiParser.Parse(200, body, 2829883282);

        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        Assert.Equal("午夜\uFFFD电台\né\\", result.Value!.Name);
    }

    [Fact]
    public void A_whole_emoji_escaped_as_a_pair_is_kept()
    {
        var body = """{"code":200,"playlist":{"id":7,"name":"a\ud83d\ude00b"}}""";

        Assert.Equal("a😀b", PlaylistApiParser.Parse(200, body, 7).Value!.Name);
    }

    [Theory]
    [InlineData("{\"code\":-460,\"msg\":\"" + Half + "\"}", PageOutcome.Blocked)]
    [InlineData("{\"code\":404,\"message\":\"x" + Half + "\"}", PageOutcome.Gone)]
    [InlineData("{\"code\":\"" + Half + "\"}", PageOutcome.Malformed)]
    public void Error_answers_with_half_an_emoji_are_classified(string body, PageOutcome outcome)
    {
        Assert.Equal(outcome, PlaylistApiParser.Parse(200, body, 7).Outcome);
        Assert.Equal(outcome, PlaylistListParser.Parse(200, body, 35, DateTimeOffset.UnixEpoch).Outcome);
    }

    [Fact]
    public void List_items_tags_and_catalogue_names_with_half_an_emoji_are_read()
    {
        var list = PlaylistListParser.Parse(200,
            "{\"code\":200,\"total\":1,\"playlists\":[{\"id\":9,\"name\":\"n" + Half + "\",\"tags\":[\"t" + Half + "\"]}]}", 35, DateTimeOffset.UnixEpoch);
        var catalogue = CatalogueParser.Parse(200,
            "{\"code\":200,\"categories\":{\"" + Half + "\":\"语种\",\"1\":\"风格" + Half + "\"},\"sub\":[{\"name\":\"摇滚\",\"category\":1}]}");

        Assert.Equal("n\uFFFD", Assert.Single(list.Value!.Playlists).Title);
        Assert.Equal(PageOutcome.Ok, catalogue.Outcome);
    }
}
