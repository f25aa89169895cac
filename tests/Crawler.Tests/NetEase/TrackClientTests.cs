using System.Text;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Tests.Parsing;
using Xunit;

namespace FunctionsCrawler.Tests.NetEase;

/// <summary>The site client's track and song requests against small servers on 127.0.0.1.</summary>
public sealed class TrackClientTests
{
    private const string Json = "application/json;charset=UTF-8";

    [Fact]
    public async Task A_playlists_tracks_come_from_the_v6_detail_whatever_the_detail_source()
    {
        await using var server = new HostileServer((_, s, ct) =>
            HostileServer.WriteAsync(s, 200, Json, Fixture.Read("api-v6-playlist-2829883282.json"), ct));

        var result = await NetEaseClientTests.Client(server.BaseUrl, o => o.DetailSource = "page").GetPlaylistTracksAsync(2829883282, CancellationToken.None);

        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        Assert.Equal(1901371647, Assert.Single(result.Value!.Tracks).TrackId);
        var seen = Assert.Single(server.Requests);
        Assert.Equal(("GET", "/api/v6/playlist/detail?id=2829883282"), (seen.Method, seen.Target));
    }

    [Fact]
    public async Task A_block_on_the_track_list_is_returned_at_once_with_its_retry_after()
    {
        await using var server = new HostileServer((_, s, ct) =>
            HostileServer.WriteAsync(s, 200, Json, """{"code":-460,"msg":"Cheating"}""", ct, ("Retry-After", "9")));

        var result = await NetEaseClientTests.Client(server.BaseUrl).GetPlaylistTracksAsync(5, CancellationToken.None);

        Assert.Equal((PageOutcome.Blocked, "code -460: Cheating"), (result.Outcome, result.Reason));
        Assert.Equal(TimeSpan.FromSeconds(9), result.RetryAfter);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Two_hundred_songs_are_asked_in_one_get()
    {
        var ids = Enumerable.Range(0, 200).Select(i => 2_061_234_368L + i).ToArray();
        await using var server = new HostileServer((_, s, ct) =>
            HostileServer.WriteAsync(s, 200, Json, Fixture.Read("api-v3-song-detail.json"), ct));

        var result = await NetEaseClientTests.Client(server.BaseUrl).GetSongsAsync(ids, CancellationToken.None);

        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        Assert.Equal([2061234567L], result.Value!.Songs.Select(s => s.Id));
        Assert.Equal(199, result.Value.Unknown.Count);
        Assert.Equal(["songs[1]: song 1901371647 was not asked for: dropped"], result.Value.Problems);
        var seen = Assert.Single(server.Requests);
        Assert.Equal("GET", seen.Method);
        Assert.Equal(NetEaseUrls.SongDetail(server.BaseUrl, ids).PathAndQuery, seen.Target);
    }

    [Fact]
    public async Task A_batch_too_long_for_a_get_is_posted_as_the_same_form()
    {
        long[] ids = [1901371647, .. Enumerable.Range(0, 999).Select(i => 2_061_233_569L + i)];
        string? form = null;
        await using var server = new HostileServer(async (seen, s, ct) =>
        {
            form = await ReadBodyAsync(seen, s, ct);
            await HostileServer.WriteAsync(s, 200, Json, Fixture.Read("api-v3-song-detail.json"), ct);
        });

        var result = await NetEaseClientTests.Client(server.BaseUrl, o => o.SongBatchSize = 1000).GetSongsAsync(ids, CancellationToken.None);

        Assert.True(result.Outcome == PageOutcome.Ok, result.Reason);
        Assert.Equal(2, result.Value!.Songs.Count);
        Assert.Equal(998, result.Value.Unknown.Count);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/api/v3/song/detail"), (request.Method, request.Target));
        Assert.Contains("Content-Type: application/x-www-form-urlencoded; charset=utf-8", request.Head, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(NetEaseUrls.SongDetailQuery(ids), form);
    }

    [Fact]
    public async Task A_posted_batch_redirected_by_302_is_malformed_not_sent_again_without_its_form()
    {
        var ids = Enumerable.Range(0, 300).Select(i => long.MaxValue - i).ToArray();
        await using var server = new HostileServer((_, s, ct) =>
            HostileServer.WriteAsync(s, 302, Json, "", ct, ("Location", "/api/v3/song/detail?moved=1")));

        var result = await NetEaseClientTests.Client(server.BaseUrl, o => o.SongBatchSize = 300).GetSongsAsync(ids, CancellationToken.None);

        Assert.Equal(PageOutcome.Malformed, result.Outcome);
        Assert.Equal("page POST redirected with HTTP 302, which drops its form", result.Reason);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_block_on_songs_is_returned_at_once()
    {
        await using var server = new HostileServer((_, s, ct) =>
            HostileServer.WriteAsync(s, 200, Json, """{"code":405,"msg":"操作频繁，请稍候再试"}""", ct));

        var result = await NetEaseClientTests.Client(server.BaseUrl).GetSongsAsync([1, 2], CancellationToken.None);

        Assert.Equal(PageOutcome.Blocked, result.Outcome);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task More_songs_than_the_batch_size_or_none_are_a_callers_mistake()
    {
        var client = NetEaseClientTests.Client(new Uri("http://127.0.0.1:9/"), o => o.SongBatchSize = 2);

        Assert.Equal(2, client.SongBatchSize);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetSongsAsync([1, 2, 3], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetSongsAsync([], CancellationToken.None));
    }

    private static async Task<string> ReadBodyAsync(SeenRequest seen, Stream stream, CancellationToken ct)
    {
        var header = seen.Head.Split("\r\n").Single(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var body = new byte[int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)];
        await stream.ReadExactlyAsync(body, ct);
        return Encoding.ASCII.GetString(body);
    }
}
