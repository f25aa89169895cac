using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Data;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Xunit;

namespace FunctionsCrawler.Tests.Data;

/// <summary>The data view's query over rows in memory: what the listing route does once the rows are read.</summary>
public sealed class PlaylistQueryTests
{
    private static PlaylistRecord Row(long id, string name, long plays, DateTimeOffset? created = null, string category = "说唱") => new()
    {
        Category = category,
        CrawlId = "c",
        CrawledAt = DateTimeOffset.UnixEpoch,
        Detail = new PlaylistDetail { Id = id, Name = name, PlayCount = plays, CreatedAt = created },
    };

    [Fact]
    public void Defaults_are_most_played_first_fifty_a_page()
    {
        var q = PlaylistQuery.Parse(null, null, null, null, null);
        Assert.Equal(("plays", true, 50, 0), (q.SortField, q.Descending, q.Top, q.Offset));
    }

    [Fact]
    public void Equal_counts_are_ordered_by_id_so_pages_never_overlap_or_skip()
    {
        var rows = Enumerable.Range(1, 9).Select(i => Row(i, "x", 5)).ToList();
        var seen = new List<long>();
        string? continuation = null;
        do
        {
            var page = PlaylistQuery.Parse(null, null, null, "4", continuation).Apply(rows, truncated: false);
            seen.AddRange(page.Items.Select(i => i.PlaylistId));
            continuation = page.Continuation;
        }
        while (continuation is not null);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), seen);
    }

    [Fact]
    public void Playlists_without_a_creation_time_sort_first_ascending_and_last_descending()
    {
        var rows = new[] { Row(1, "a", 0, DateTimeOffset.UnixEpoch.AddDays(2)), Row(2, "b", 0), Row(3, "c", 0, DateTimeOffset.UnixEpoch) };
        Assert.Equal([2L, 3, 1], PlaylistQuery.Parse(null, null, "created", null, null).Apply(rows, false).Items.Select(i => i.PlaylistId));
        Assert.Equal([1L, 3, 2], PlaylistQuery.Parse(null, null, "-created", null, null).Apply(rows, false).Items.Select(i => i.PlaylistId));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("ten")]
    public void A_top_that_is_not_a_whole_number_from_1_is_refused(string top) =>
        Assert.Throws<CrawlQueryException>(() => PlaylistQuery.Parse(null, null, null, top, null));

    [Fact]
    public void Item_routes_are_relative_and_escape_the_category()
    {
        var item = PlaylistItemView.From(Row(12, "x", 1, category: "R&B/Soul") with { Cover = new StoredCover("covers/12.jpg", 1, "s") });
        Assert.Equal("covers/12.jpg", item.Cover);
        Assert.Equal("covers/12.jpg?size=thumb", item.Thumbnail);
        Assert.Equal("playlists/12/history?category=R%26B%2FSoul", item.History);
        Assert.Null(PlaylistItemView.From(Row(13, "x", 1)).Thumbnail);
    }

    [Fact]
    public void Median_of_an_even_count_is_the_mean_of_the_middle_two_and_hostile_totals_saturate()
    {
        Assert.Equal(2.5, PlaylistStats.Median([1, 2, 3, 4]));
        Assert.Null(PlaylistStats.Median([]));
        var stats = PlaylistStats.Of("说唱", [Row(1, "a", long.MaxValue), Row(2, "b", long.MaxValue)], false);
        Assert.Equal(long.MaxValue, stats.TotalPlays);
        Assert.Null(stats.Distribution[^1].To); // the top decade has no upper bound
    }
}
