using AngleSharp.Html.Parser;
using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing.RealCaptures;

/// <summary>Detail pages saved from the real site: every field a person reads off them.</summary>
public class RealDetailPageTests
{
    [RealCaptureFact]
    public void Page_of_2017_reads_every_field_it_shows()
    {
        var result = PlaylistPageParser.Parse(200, RealCapture.Read("detail_319135616_2017_excerpt.html"), 319135616);

        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        var detail = result.Value!;
        Assert.Equal(319135616, detail.Id);
        Assert.Equal("吃个早茶饼喜欢的音乐", detail.Name);
        Assert.Equal("http://p3.music.126.net/8xYnBPl89VLi8pqaJJOqXg==/18964376556038798.jpg", detail.CoverUrl);
        Assert.Equal(254672398, detail.CreatorId);
        Assert.Equal("吃个早茶饼", detail.CreatorNickname);
        Assert.Equal("", detail.Description); // the real page has no #album-desc-more
        Assert.Empty(detail.Tags); // nor a tags block
        Assert.Equal(98, detail.TrackCount);
        Assert.Equal(798, detail.PlayCount);
        Assert.Equal(0, detail.SubscribedCount); // 收藏, data-count="0"
        Assert.Equal(0, detail.ShareCount); // 分享, data-count="0"
        Assert.Equal(1, detail.CommentCount); // (1)
        Assert.Equal(new DateTimeOffset(2016, 3, 17, 4, 57, 22, TimeSpan.Zero), detail.CreatedAt); // pubDate 2016-03-17T12:57:22 Beijing
    }

    [RealCaptureFact]
    public void Owners_view_of_2023_reads_counts_from_buttons_without_data_res_action()
    {
        var result = PlaylistPageParser.Parse(200, RealCapture.Read("detail_2313062981_2023.html"), 2313062981);

        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        var detail = result.Value!;
        Assert.Equal(2313062981, detail.Id);
        Assert.Equal("yopx喜欢的音乐", detail.Name);
        Assert.Equal("http://p3.music.126.net/jOucoIs9xsC-biWHcFvYOA==/109951165455877339.jpg", detail.CoverUrl);
        Assert.Equal(1518783407, detail.CreatorId);
        Assert.Equal("yopx", detail.CreatorNickname);
        Assert.Equal("", detail.Description);
        Assert.Empty(detail.Tags);
        Assert.Equal(536, detail.TrackCount);
        Assert.Equal(1229, detail.PlayCount);
        Assert.Equal(1, detail.SubscribedCount); // <a class="u-btni u-btni-fav u-btni-fav-dis2" data-count="1">, no data-res-action
        Assert.Equal(1, detail.ShareCount);
        Assert.Equal(0, detail.CommentCount); // <i><span id="cnt_comment_count">评论</span></i>
        Assert.Equal(new DateTimeOffset(2018, 7, 13, 5, 5, 21, TimeSpan.Zero), detail.CreatedAt); // 2018-07-13T13:05:21 Beijing
    }

    [RealCaptureFact]
    public void Page_of_2023_is_refused_for_another_playlist_by_its_og_url_and_buttons()
    {
        var result = PlaylistPageParser.Parse(200, RealCapture.Read("detail_2313062981_2023.html"), 319135616);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("page is for playlist 2313062981, expected 319135616", result.Reason);
    }

    [RealCaptureFact]
    public void Fragment_of_2018_is_no_page_but_its_counts_read_right()
    {
        var body = RealCapture.Read("detail_362498513_2018_fragment.html");

        // Only the song-list header was saved: no name, no buttons, no </html>.
        Assert.Equal(PageOutcome.Malformed, PlaylistPageParser.Parse(200, body, 362498513).Outcome);

        var counts = PlaylistPageParser.ReadCounts(new HtmlParser().ParseDocument(body));
        Assert.Equal(PageOutcome.Ok, counts.Outcome);
        Assert.Equal(new PageCounts(TrackCount: 166, PlayCount: 65, SubscribedCount: 0, ShareCount: 0, CommentCount: 0), counts.Value);
    }
}
