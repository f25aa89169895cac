using System.Net;
using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Tests;

/// <summary>A running site serves the configured day everywhere, and changing the day changes every answer.</summary>
public sealed class DaySiteTests
{
    private static string ListApiPath(string category, int page) =>
        $"/api/playlist/list?cat={Uri.EscapeDataString(category)}&order=hot&limit=35&offset={page * 35}";

    /// <summary>The first listed playlist (category, id) that the test wants, on the given pair of days.</summary>
    private static (string Category, long Id) Find(SandboxSite site, Func<SandboxPlaylist, SandboxPlaylist, bool> wanted)
    {
        var (before, after) = (site.Catalog.OnDay(0), site.Catalog.OnDay(1));
        return site.Catalog.MenuCategories
            .SelectMany(category => before.ListedIds(category).Select(id => (category, id)))
            .First(row => after.TryGetPlaylist(row.id, out var now) && wanted(before.Playlist(row.id), now));
    }

    [Fact]
    public async Task Changing_the_day_changes_lists_details_counts_and_covers()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 4, PagesPerCategory = 3, DeletedRate = 0 });
        using var client = new SiteClient(site);
        var (before, after) = (site.Catalog.OnDay(0), site.Catalog.OnDay(1));
        var (_, recovered) = Find(site, (old, now) => old.Kind == CoverKind.Ok && now.CoverVersion > old.CoverVersion);
        var (_, retracked) = Find(site, (old, now) => !now.Deleted && now.TrackCount != old.TrackCount);
        var (goneCategory, gone) = Find(site, (old, now) => !old.Deleted && now.Deleted);
        var newcomer = site.Catalog.MenuCategories.Select(category => (category, id: after.PageIds(category, 0)[0]))
            .First(row => after.Playlist(row.id).FirstDay == 1);

        var oldCover = before.Playlist(recovered).CoverUrl;
        Assert.Equal(before.CoverBytes(recovered), await client.BytesAsync(oldCover));
        Assert.Contains("很抱歉，你要查找的网页找不到", await client.TextAsync($"/playlist?id={newcomer.id}"));
        Assert.Contains("\"code\":404", await client.TextAsync($"/api/v6/playlist/detail?id={newcomer.id}"));
        Assert.Equal(before.ListedIds("说唱").Take(35), await ListPageIds(client, "说唱"));

        site.Options.Day = 1;
        Assert.Equal(1, site.Catalog.Current.Day);

        // Covers: the new URL serves the new image; the old one is gone from the CDN.
        var newCover = after.Playlist(recovered).CoverUrl;
        Assert.NotEqual(oldCover, newCover);
        var bytes = await client.BytesAsync(newCover);
        Assert.Equal(after.CoverBytes(recovered), bytes);
        Assert.NotEqual(before.CoverBytes(recovered), bytes);
        Assert.Equal(after.ThumbnailBytes(recovered, 140, 140), await client.BytesAsync(newCover + "?param=140y140"));
        using (var dropped = await client.GetAsync(oldCover))
            Assert.Equal(HttpStatusCode.NotFound, dropped.StatusCode);
        using (var droppedThumbnail = await client.GetAsync(oldCover + "?param=140y140"))
            Assert.Equal(HttpStatusCode.NotFound, droppedThumbnail.StatusCode);

        // Tracks: the detail page, the detail API and the list item show the day's count and time.
        var page = await client.PageAsync($"/playlist?id={retracked}");
        Assert.Equal(after.Playlist(retracked).TrackCount.ToString(), page.QuerySelector("#playlist-track-count")!.TextContent);
        using (var api = JsonDocument.Parse(await client.TextAsync($"/api/v6/playlist/detail?id={retracked}")))
        {
            var playlist = api.RootElement.GetProperty("playlist");
            Assert.Equal(after.Playlist(retracked).TrackCount, playlist.GetProperty("trackCount").GetInt32());
            Assert.Equal(after.Playlist(retracked).PlayCount, playlist.GetProperty("playCount").GetInt64());
            Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(playlist.GetProperty("updateTime").GetInt64()), after.Start, after.Start.AddDays(1));
        }

        // Deleted today: not found, left out of the JSON list, still on the HTML list page.
        Assert.Contains("很抱歉，你要查找的网页找不到", await client.TextAsync($"/playlist?id={gone}"));
        Assert.Contains("\"code\":404", await client.TextAsync($"/api/v3/playlist/detail?id={gone}"));
        var goneIndex = after.ListedIds(goneCategory).ToList().IndexOf(gone);
        Assert.True(goneIndex >= 0, "the deleted playlist should still be listed");
        Assert.Contains(gone, await ListPageIds(client, goneCategory, goneIndex / 35));
        using (var list = JsonDocument.Parse(await client.TextAsync(ListApiPath(goneCategory, goneIndex / 35))))
            Assert.DoesNotContain(gone, list.RootElement.GetProperty("playlists").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()));

        // New today: at the top of its list, with a detail page.
        Assert.Equal(newcomer.id, (await ListPageIds(client, newcomer.category))[0]);
        Assert.Contains("歌单 - 网易云音乐", await client.TextAsync($"/playlist?id={newcomer.id}"));
        using (var list = JsonDocument.Parse(await client.TextAsync(ListApiPath(newcomer.category, 0))))
            Assert.Equal(newcomer.id, list.RootElement.GetProperty("playlists")[0].GetProperty("id").GetInt64());

        // Back to day 0: the old cover is served again, the newcomer is unknown again.
        site.Options.Day = 0;
        Assert.Equal(before.CoverBytes(recovered), await client.BytesAsync(oldCover));
        Assert.Contains("很抱歉，你要查找的网页找不到", await client.TextAsync($"/playlist?id={newcomer.id}"));
    }

    [Fact]
    public async Task Expected_says_its_day_and_can_answer_for_another_with_each_rows_counts()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 4, MenuCategories = 4, Day = 2 });
        using var client = new SiteClient(site);
        using var served = JsonDocument.Parse(await client.TextAsync("/_sandbox/expected?counts=true"));
        Assert.Equal(2, served.RootElement.GetProperty("day").GetInt32());
        var expected = site.Catalog.ExpectedRows(site.Catalog.MenuCategories);
        Assert.Equal(expected.Count, served.RootElement.GetProperty("rows").GetInt64());
        var counts = served.RootElement.GetProperty("categories").EnumerateArray().SelectMany(category => category.GetProperty("counts").EnumerateArray()).ToList();
        Assert.Equal(expected.Select(row => row.Playlist.Id), counts.Select(row => row.GetProperty("id").GetInt64()));
        Assert.Equal(expected.Select(row => (row.Playlist.TrackCount, row.Playlist.PlayCount, row.Playlist.SubscribedCount, row.Playlist.ShareCount, row.Playlist.CommentCount)),
            counts.Select(row => (row.GetProperty("trackCount").GetInt32(), row.GetProperty("playCount").GetInt64(), row.GetProperty("subscribedCount").GetInt64(),
                row.GetProperty("shareCount").GetInt64(), row.GetProperty("commentCount").GetInt64())));

        using var dayZero = JsonDocument.Parse(await client.TextAsync("/_sandbox/expected?day=0"));
        Assert.Equal(0, dayZero.RootElement.GetProperty("day").GetInt32());
        Assert.False(dayZero.RootElement.GetProperty("categories")[0].TryGetProperty("counts", out _));
        Assert.Equal(site.Catalog.OnDay(0).ExpectedRows(site.Catalog.MenuCategories).Select(row => row.Playlist.Id),
            dayZero.RootElement.GetProperty("categories").EnumerateArray().SelectMany(category => category.GetProperty("ids").EnumerateArray().Select(id => id.GetInt64())));
    }

    private static async Task<List<long>> ListPageIds(SiteClient client, string category, int page = 0) =>
        [.. (await client.ListPageAsync(category, page)).QuerySelectorAll("ul#m-pl-container > li a.icon-play")
            .Select(play => long.Parse(play.GetAttribute("data-res-id")!))];
}
