using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Xunit;

namespace FunctionsCrawler.Tests.Storage;

public sealed class TableTextTests
{
    private static PlaylistDetail Detail(string description = "一句话", string name = "歌单") =>
        new() { Id = 1, Name = name, Description = description, Tags = ["华语"], CoverUrl = "http://p1.music.126.net/a==/1.jpg" };

    [Fact]
    public void Text_that_fits_is_kept_as_it_is()
    {
        var original = Detail();
        var (detail, cut) = TableText.Fit(original);
        Assert.Null(cut);
        Assert.Equal(original, detail);
    }

    [Fact]
    public void A_description_too_long_for_a_table_property_is_cut_and_the_cut_named()
    {
        var (detail, cut) = TableText.Fit(Detail(description: new string('长', 80_000)));
        Assert.Equal(TableText.MaxChars, detail.Description.Length);
        Assert.Equal("description 80,000→32,000 characters", cut);
    }

    [Fact]
    public void A_cut_never_splits_an_emoji()
    {
        var name = new string('a', TableText.MaxChars - 1) + "😀😀";
        var (detail, cut) = TableText.Fit(Detail(name: name));
        Assert.NotNull(cut);
        Assert.False(char.IsHighSurrogate(detail.Name[^1]));
        Assert.Equal(TableText.MaxChars - 1, detail.Name.Length);
    }

    [Fact]
    public void Too_many_tags_keep_the_first_ones_that_fit()
    {
        var tags = Enumerable.Range(0, 10_000).Select(i => $"tag{i}").ToArray();
        var (detail, cut) = TableText.Fit(Detail() with { Tags = tags });
        Assert.True(string.Join(';', detail.Tags).Length <= TableText.MaxChars);
        Assert.Equal(tags.Take(detail.Tags.Count), detail.Tags);
        Assert.StartsWith("tags 10000→", cut);
    }
}
