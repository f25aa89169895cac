using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing.RealCaptures;

/// <summary>JSON detail responses saved from the real site: every field a person reads off them.</summary>
public class RealApiTests
{
    private static PlaylistDetail ParseOk(string file, long id)
    {
        var result = PlaylistApiParser.Parse(200, RealCapture.Read(file), id);
        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        return result.Value!;
    }

    [RealCaptureFact]
    public void V3_response_of_2019_reads_every_field()
    {
        var detail = ParseOk("api_v3_3010890240_2019.json", 3010890240);

        Assert.Equal(3010890240, detail.Id);
        Assert.Equal("戦姫絶唱 Complete", detail.Name);
        Assert.Equal("http://p2.music.126.net/z8vqN5OzDwrHoEjlslchmQ==/109951164200702033.jpg", detail.CoverUrl);
        Assert.Equal(123860360, detail.CreatorId);
        Assert.Equal("RunePiika", detail.CreatorNickname);
        Assert.Equal("", detail.Description);
        Assert.Empty(detail.Tags);
        Assert.Equal(96, detail.TrackCount);
        Assert.Equal(19, detail.PlayCount);
        Assert.Equal(0, detail.SubscribedCount);
        Assert.Equal(0, detail.ShareCount);
        Assert.Equal(0, detail.CommentCount);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1570005044850), detail.CreatedAt);
        Assert.Equal(new DateTimeOffset(2019, 10, 2, 8, 30, 44, 850, TimeSpan.Zero), detail.CreatedAt);
    }

    [RealCaptureFact]
    public void V6_response_of_2022_reads_every_field()
    {
        var detail = ParseOk("api_v6_7294547682_2022.json", 7294547682);

        Assert.Equal(7294547682, detail.Id);
        Assert.Equal("「共度朝夕」落日余晖的路上总是爱意弥漫", detail.Name);
        // The URL carries the exact image id (…707); the rounded number coverImgId reads …710.
        Assert.Equal("https://p1.music.126.net/0CIFNXIfCg9x7xubzOzaMQ==/109951167058595707.jpg", detail.CoverUrl);
        Assert.Equal(5088230961, detail.CreatorId);
        Assert.Equal("Justin爱吃水煮鱼", detail.CreatorNickname);
        Assert.Equal("我希望那个未来的你可以坚定地向我走来，我害怕一切的不确定，但我希望你是我的确定。", detail.Description);
        Assert.Equal(["华语", "浪漫"], detail.Tags);
        Assert.Equal(45, detail.TrackCount);
        Assert.Equal(9763, detail.PlayCount);
        Assert.Equal(40, detail.SubscribedCount);
        Assert.Equal(0, detail.ShareCount);
        Assert.Equal(0, detail.CommentCount);
        Assert.Equal(new DateTimeOffset(2022, 2, 16, 11, 35, 51, 687, TimeSpan.Zero), detail.CreatedAt);
    }

    [RealCaptureFact]
    public void Old_api_result_of_2018_reads_every_field()
    {
        var detail = ParseOk("api_old_924680166_2018.json", 924680166);

        Assert.Equal(924680166, detail.Id);
        Assert.Equal("华语速爆新歌", detail.Name);
        Assert.Equal("http://p1.music.126.net/p_aejBGFj2lacDBv_iGo5Q==/19204070091327751.jpg", detail.CoverUrl);
        Assert.Equal(1, detail.CreatorId);
        Assert.Equal("网易云音乐", detail.CreatorNickname);
        Assert.Equal("优质华语新歌，网易云音乐&台湾KKBOX联合推荐！每周二精选推荐。", detail.Description);
        Assert.Equal(["华语", "流行"], detail.Tags);
        Assert.Equal(20, detail.TrackCount);
        Assert.Equal(131510400, detail.PlayCount);
        Assert.Equal(699980, detail.SubscribedCount);
        Assert.Equal(6469, detail.ShareCount);
        Assert.Equal(12562, detail.CommentCount);
        Assert.Equal(new DateTimeOffset(2017, 9, 19, 0, 5, 15, 127, TimeSpan.Zero), detail.CreatedAt);
    }
}
