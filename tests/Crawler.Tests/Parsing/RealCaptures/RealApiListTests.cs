using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing.RealCaptures;

/// <summary>The JSON list answer saved from the real site (2020, 全部, one item kept): every field a person reads off it.</summary>
public class RealApiListTests
{
    [RealCaptureFact]
    public void List_answer_of_2020_gives_its_item_with_every_field_of_its_row()
    {
        var result = PlaylistListParser.Parse(200, RealCapture.Read("api_list_all_2020_transcribed.json"), 35,
            new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));

        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        var page = result.Value!;
        Assert.Equal(38, page.TotalPages); // total 1304 at 35 a page
        Assert.Equal(0, page.Repeats);
        Assert.Empty(page.Problems);
        var item = Assert.Single(page.Playlists);
        Assert.Null(item.Incomplete);
        Assert.Equal(new DateTimeOffset(2020, 2, 21, 3, 51, 18, 55, TimeSpan.Zero), item.TracksUpdatedAt);
        Assert.Equal((3238077449L, "等我们老了，也要手牵着手一起去看海", "http://p2.music.126.net/wmG5kljvNcOWTXnzMsT8IA==/109951164729607047.jpg", (long?)129593031, "mayuko然"),
            (item.Id, item.Title, item.CoverUrl, item.CreatorId, item.CreatorNickname));

        var detail = item.Detail!;
        Assert.Equal(3238077449, detail.Id);
        Assert.Equal("等我们老了，也要手牵着手一起去看海", detail.Name);
        // The URL carries the exact image id (…047); the rounded number coverImgId reads …040.
        Assert.Equal("http://p2.music.126.net/wmG5kljvNcOWTXnzMsT8IA==/109951164729607047.jpg", detail.CoverUrl);
        Assert.Equal(129593031, detail.CreatorId);
        Assert.Equal("mayuko然", detail.CreatorNickname);
        Assert.Equal("想要抓住每一个幸福的瞬间\n想要抵达每一个明朗的彼岸\n珍惜和善待 平和与宽宥 在日升月落间\n看见美好 照见温暖 让爱绵长\n"
            + "愿你能遇见一个人 能从Ta深情的双眼里看到未来\n平凡而不平庸地浪漫老去 手牵着手一起去看海", detail.Description);
        Assert.Equal(["华语", "流行", "浪漫"], detail.Tags);
        Assert.Equal(74, detail.TrackCount);
        Assert.Equal(592967, detail.PlayCount);
        Assert.Equal(2688, detail.SubscribedCount);
        Assert.Equal(20, detail.ShareCount);
        Assert.Equal(26, detail.CommentCount);
        Assert.Equal(new DateTimeOffset(2020, 2, 10, 9, 30, 28, 509, TimeSpan.Zero), detail.CreatedAt);
    }
}
