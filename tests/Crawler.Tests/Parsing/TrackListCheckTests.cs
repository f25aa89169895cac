using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing;

public class TrackListCheckTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(45, 45)]
    [InlineData(10_000, 10_000)]
    public void A_list_as_long_as_the_count_is_complete(long trackCount, int listed) =>
        Assert.Equal(TrackListVerdict.Complete, TrackListCheck.Judge(trackCount, listed).Verdict);

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(9, 8)]
    [InlineData(9, 7)]
    [InlineData(45, 43)]
    [InlineData(45, 47)]
    [InlineData(0, 2)]
    [InlineData(10, 8)]
    public void A_track_or_two_apart_is_the_sites_lag(long trackCount, int listed) =>
        Assert.Equal(TrackListVerdict.SiteLag, TrackListCheck.Judge(trackCount, listed).Verdict);

    [Theory]
    [InlineData(10, 1)]
    [InlineData(10, 0)]
    [InlineData(45, 1)]
    [InlineData(467, 1)]
    [InlineData(10_000, 0)]
    public void One_track_or_none_of_ten_or_more_is_suspect(long trackCount, int listed) =>
        Assert.Equal(TrackListVerdict.Suspect, TrackListCheck.Judge(trackCount, listed).Verdict);

    [Theory]
    [InlineData(9, 1)]   // a small playlist: not the distrusted shape, but too far for lag
    [InlineData(9, 0)]
    [InlineData(10, 2)]  // two listed is not the one-song shape
    [InlineData(45, 42)] // three apart
    [InlineData(96, 3)]
    [InlineData(0, 3)]
    [InlineData(-1, 0)]
    public void Anything_else_is_a_mismatch(long trackCount, int listed) =>
        Assert.Equal(TrackListVerdict.Mismatch, TrackListCheck.Judge(trackCount, listed).Verdict);

    [Fact]
    public void The_edges_are_the_named_constants()
    {
        Assert.Equal(TrackListVerdict.Suspect, TrackListCheck.Judge(TrackListCheck.MinSuspectTrackCount, TrackListCheck.MaxSuspectListed).Verdict);
        Assert.Equal(TrackListVerdict.Mismatch, TrackListCheck.Judge(TrackListCheck.MinSuspectTrackCount - 1, TrackListCheck.MaxSuspectListed).Verdict);
        Assert.Equal(TrackListVerdict.Mismatch, TrackListCheck.Judge(TrackListCheck.MinSuspectTrackCount, TrackListCheck.MaxSuspectListed + 1).Verdict);
        Assert.Equal(TrackListVerdict.SiteLag, TrackListCheck.Judge(100, 100 - TrackListCheck.MaxSiteLag).Verdict);
        Assert.Equal(TrackListVerdict.Mismatch, TrackListCheck.Judge(100, 100 - TrackListCheck.MaxSiteLag - 1).Verdict);
    }

    [Fact]
    public void Each_verdict_gives_a_one_line_reason()
    {
        Assert.Equal("45 listed of 45", TrackListCheck.Judge(45, 45).Reason);
        Assert.Equal("44 listed of 45: the site's lag between count and list", TrackListCheck.Judge(45, 44).Reason);
        Assert.Equal("1 listed of 45: the answer the site gives an address it distrusts", TrackListCheck.Judge(45, 1).Reason);
        Assert.Equal("3 listed of 96: 93 apart, more than the site's lag of 2", TrackListCheck.Judge(96, 3).Reason);
        Assert.Equal("trackCount -1 is negative; 0 listed", TrackListCheck.Judge(-1, 0).Reason);
    }

    [Fact]
    public void A_negative_listed_count_is_a_callers_mistake() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TrackListCheck.Judge(5, -1));
}
