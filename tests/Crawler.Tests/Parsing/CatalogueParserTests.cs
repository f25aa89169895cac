using System.Text.Json.Nodes;
using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

public class CatalogueParserTests
{
    private static PageResult<IReadOnlyList<PlaylistCategory>> Parse(string body, int status = 200) => CatalogueParser.Parse(status, body);

    private static string WithSub(params string[] names) =>
        $"{{\"code\":200,\"sub\":{new JsonArray([.. names.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["category"] = 1 })]).ToJsonString()},\"categories\":{{\"1\":\"风格\"}}}}";

    [Fact]
    public void The_catalogue_lists_its_categories_in_order_with_their_groups()
    {
        var result = Parse(Fixture.Read("api-catalogue.json"));

        Assert.Equal(PageOutcome.Ok, result.Outcome);
        Assert.Null(result.Reason);
        Assert.Equal(
            [
                new PlaylistCategory("华语", "语种"),
                new PlaylistCategory("欧美", "语种"),
                new PlaylistCategory("说唱", "风格"),
                new PlaylistCategory("R&B/Soul", "风格"),
                new PlaylistCategory("New Age", "风格"),
                new PlaylistCategory("下午茶", "场景"),
                new PlaylistCategory("治愈", "情感"),
                new PlaylistCategory("ACG", "主题"),
                new PlaylistCategory("00后", "主题"),
            ],
            result.Value);
    }

    [Fact]
    public void Entries_with_no_known_group_have_none()
    {
        var result = Parse("""{"code":200,"sub":[{"name":"华语","category":9},{"name":"欧美","category":"0"},{"name":"说唱"}],"categories":{"0":"语种","9":"\u0007"}}""");

        Assert.Equal([new PlaylistCategory("华语", null), new PlaylistCategory("欧美", "语种"), new PlaylistCategory("说唱", null)], result.Value);
    }

    [Theory]
    [InlineData("""{"code":200,"categories":{}}""", "catalogue has no sub list")]
    [InlineData("""{"code":200,"sub":null}""", "catalogue's sub is Null, not an array")]
    [InlineData("""{"code":200,"sub":{"name":"华语"}}""", "catalogue's sub is Object, not an array")]
    [InlineData("""{"code":200,"sub":[]}""", "catalogue names no category")]
    [InlineData("""{"code":200,"sub":[{"name":"全部"},{"name":""},{"nm":"华语"}]}""", "catalogue names no usable category (3 entries, none with a usable name)")]
    [InlineData("[]", "JSON root is Array, not an object")]
    [InlineData("<html><body>catalogue</body></html>", "invalid JSON: ")]
    [InlineData("""{"code":500,"msg":"x"}""", "API code 500: x")]
    public void A_catalogue_without_categories_is_Malformed(string body, string reason)
    {
        var result = Parse(body);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.StartsWith(reason, result.Reason);
    }

    [Fact]
    public void Hostile_names_are_dropped_with_one_line_and_the_rest_kept_once()
    {
        var body = """
            {"code":200,"sub":[
              {"name":"华语"},
              {"name":"坏\u0000名"},
              {"name":"<script>x</script>"},
              {"name":"12345678901234567890123456789012345678901"},
              {"name":"全部"},
              {"name":"all"},
              {"name":" ALL "},
              {"name":42},
              {"name":null},
              "说唱",
              {"name":"  New \t\n Age "},
              {"name":"华语"}
            ]}
            """;

        var result = Parse(body);

        Assert.Equal(PageOutcome.Ok, result.Outcome);
        Assert.Equal(["华语", "New Age"], result.Value!.Select(c => c.Name));
        Assert.Equal("dropped 9 of 12 catalogue entries without a usable name", result.Reason);
    }

    [Fact]
    public void At_most_200_categories_are_kept_with_one_line()
    {
        var result = Parse(WithSub([.. Enumerable.Range(1, 250).Select(i => $"类{i}")]));

        Assert.Equal(CatalogueParser.MaxCategories, result.Value!.Count);
        Assert.Equal("类200", result.Value[^1].Name);
        Assert.Equal("风格", result.Value[0].Group);
        Assert.Equal("kept the first 200 of 250 categories", result.Reason);
    }

    [Theory]
    [InlineData(200, """{"code":-460,"msg":"Cheating"}""")]
    [InlineData(200, """{"code":-462,"data":{"blockText":"请完成验证"}}""")]
    [InlineData(200, """{"code":405}""")]
    [InlineData(200, "")]
    [InlineData(503, "")]
    public void Blocks_are_Blocked(int status, string body) =>
        Assert.Equal(PageOutcome.Blocked, Parse(body, status).Outcome);
}
