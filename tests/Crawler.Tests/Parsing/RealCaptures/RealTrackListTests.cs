using FunctionsCrawler.NetEase;
using Xunit;

namespace FunctionsCrawler.Tests.Parsing.RealCaptures;

/// <summary>
/// Track lists of JSON detail answers saved from the real site. Whoever saved them cut their <c>trackIds</c> short
/// (45 tracks listed as one, 96 as three): the parser reads what is there, and the one-song rule judges it as it would
/// judge such an answer from the site.
/// </summary>
public class RealTrackListTests
{
    private static PlaylistTracks ParseOk(string file, long id)
    {
        var result = PlaylistTracksParser.Parse(200, RealCapture.Read(file), id);
        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        return result.Value!;
    }

    [RealCaptureFact]
    public void V6_response_of_2022_reads_its_one_trackIds_entry_and_not_its_tracks()
    {
        var tracks = ParseOk("api_v6_7294547682_2022.json", 7294547682);

        Assert.Equal(7294547682, tracks.PlaylistId);
        Assert.Equal(45, tracks.TrackCount);
        Assert.Equal(new PlaylistTrack(1920025919, 0, new DateTimeOffset(2022, 2, 16, 12, 54, 11, 441, TimeSpan.Zero)), Assert.Single(tracks.Tracks));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1645016051441), tracks.Tracks[0].AddedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1645016482616), tracks.TracksUpdatedAt);
        Assert.Empty(tracks.Problems);
    }

    [RealCaptureFact]
    public void V6_response_of_2022_is_the_one_song_shape_the_rule_calls_suspect()
    {
        var tracks = ParseOk("api_v6_7294547682_2022.json", 7294547682);

        var judged = TrackListCheck.Judge(tracks.TrackCount, tracks.Tracks.Count);

        Assert.Equal(TrackListVerdict.Suspect, judged.Verdict);
        Assert.Equal("1 listed of 45: the answer the site gives an address it distrusts", judged.Reason);
    }

    [RealCaptureFact]
    public void V3_response_of_2019_reads_three_entries_without_added_times()
    {
        var tracks = ParseOk("api_v3_3010890240_2019.json", 3010890240);

        Assert.Equal(96, tracks.TrackCount);
        Assert.Equal(
            [new PlaylistTrack(1376680574, 0, null), new PlaylistTrack(1305366683, 1, null), new PlaylistTrack(534067239, 2, null)],
            tracks.Tracks);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1570440713851), tracks.TracksUpdatedAt);
        Assert.Equal(TrackListVerdict.Mismatch, TrackListCheck.Judge(tracks.TrackCount, tracks.Tracks.Count).Verdict);
    }

    [RealCaptureFact]
    public void Old_api_result_of_2018_has_no_trackIds_and_its_20_full_tracks_are_not_taken_for_them()
    {
        var result = PlaylistTracksParser.Parse(200, RealCapture.Read("api_old_924680166_2018.json"), 924680166);

        Assert.Equal((PageOutcome.Malformed, "detail answer has no trackIds"), (result.Outcome, result.Reason));
    }
}
