namespace FunctionsCrawler.Sandbox.Tests;

/// <summary>The Day option: each day follows from the one before, deterministically, at the documented rates.</summary>
public sealed class DayTests
{
    private static readonly Uri Base = new("http://127.0.0.1:5080/");

    // Large enough for the rates to show (about 40,000 playlists), built once for the tests that only read it.
    private static readonly Lazy<SandboxCatalog> Large = new(() =>
        new SandboxCatalog(new SandboxOptions { Seed = 3, PagesPerCategory = 20, AllPagesFull = true }, Base));

    private static double Share(int part, int whole) => 100.0 * part / whole;

    /// <summary>Records compare arrays by reference: the tags are compared by value.</summary>
    private static void AssertSame(SandboxPlaylist expected, SandboxPlaylist actual)
    {
        Assert.Equal(expected with { Tags = [] }, actual with { Tags = [] });
        Assert.Equal(expected.Tags, actual.Tags);
    }

    [Fact]
    public void Day_zero_is_the_generated_catalogue()
    {
        var catalog = new SandboxCatalog(new SandboxOptions { Seed = 3 }, Base);
        var explicitDay = new SandboxCatalog(new SandboxOptions { Seed = 3, Day = 0 }, Base).OnDay(0);
        Assert.Equal(0, catalog.Current.Day);
        Assert.Equal(catalog.ListedIds("说唱"), explicitDay.ListedIds("说唱"));
        Assert.All(catalog.ListedIds("说唱"), id =>
        {
            var playlist = catalog.Playlist(id);
            AssertSame(playlist, explicitDay.Playlist(id));
            Assert.Equal((0, 0), (playlist.CoverVersion, playlist.FirstDay));
            Assert.InRange(playlist.TracksUpdatedAt, playlist.CreatedAt, playlist.UpdatedAt);
            Assert.True(playlist.UpdatedAt <= explicitDay.Start);
        });
    }

    [Fact]
    public void One_day_changes_tracks_covers_deletions_and_new_playlists_at_the_documented_rates()
    {
        var catalog = Large.Value;
        var (before, after) = (catalog.OnDay(0), catalog.OnDay(1));
        var listedBefore = catalog.MenuCategories.SelectMany(before.ListedIds).ToHashSet();
        var listedAfter = catalog.MenuCategories.SelectMany(after.ListedIds).ToHashSet();

        int alive = 0, ordinary = 0, tracks = 0, covers = 0, deleted = 0;
        foreach (var id in listedBefore)
        {
            var (old, now) = (before.Playlist(id), after.Playlist(id));
            if (old.Deleted)
            {
                Assert.True(now.Deleted, "a deleted playlist stays deleted");
                continue;
            }
            alive++;
            if (old.Kind == CoverKind.Ok && !old.HasHostileText)
                ordinary++;
            if (now.Deleted)
            {
                Assert.True(old.Kind == CoverKind.Ok && !old.HasHostileText, "only ordinary playlists are deleted");
                deleted++;
                continue;
            }
            Assert.True(now.PlayCount > old.PlayCount, "play counts grow every day");
            Assert.True(now.SubscribedCount >= old.SubscribedCount && now.ShareCount >= old.ShareCount && now.CommentCount >= old.CommentCount);
            Assert.Equal((old.Name, old.Description, old.CreatorId, old.CreatedAt), (now.Name, now.Description, now.CreatorId, now.CreatedAt));
            if (now.TrackCount != old.TrackCount)
            {
                tracks++;
                Assert.InRange(Math.Abs(now.TrackCount - old.TrackCount), 1, 5);
                Assert.True(now.TrackCount >= 1);
                Assert.InRange(now.TracksUpdatedAt, after.Start, after.Start.AddDays(1).AddTicks(-1));
                Assert.Equal(now.TracksUpdatedAt, now.UpdatedAt);
            }
            else
            {
                Assert.Equal(old.TracksUpdatedAt, now.TracksUpdatedAt);
            }
            if (now.CoverUrl != old.CoverUrl)
            {
                covers++;
                Assert.Equal(old.CoverVersion + 1, now.CoverVersion);
                Assert.NotEqual(old.CoverImageId, now.CoverImageId);
                Assert.Equal(old.Kind, now.Kind);
                Assert.InRange(now.UpdatedAt, after.Start, after.Start.AddDays(1).AddTicks(-1));
            }
            if (now.CoverUrl == old.CoverUrl && now.TrackCount == old.TrackCount)
                Assert.Equal(old.UpdatedAt, now.UpdatedAt);
        }
        var fresh = listedAfter.Where(id => !listedBefore.Contains(id)).ToList();
        Assert.All(fresh, id =>
        {
            var playlist = after.Playlist(id);
            Assert.Equal(1, playlist.FirstDay);
            Assert.InRange(playlist.CreatedAt, after.Start, after.Start.AddDays(1).AddTicks(-1));
            Assert.False(before.IsKnown(id));
            Assert.True(after.IsKnown(id));
        });
        var entries = catalog.MenuCategories.Sum(category => after.ListedIds(category).Count);

        Assert.True(alive > 35_000, $"only {alive} playlists");
        Assert.InRange(Share(tracks, alive), 4.0, 6.0);
        Assert.InRange(Share(covers, alive), 0.7, 1.3);
        Assert.InRange(Share(deleted, ordinary), 0.35, 0.65);
        Assert.InRange(Share(fresh.Count, entries), 1.5, 2.5);
        // The lists keep their length: as many playlists fall off the end as come in at the top (a few new ids
        // come in at the top of two categories, and count once here).
        Assert.InRange(listedBefore.Count(id => !listedAfter.Contains(id)), fresh.Count - 10, fresh.Count + 10);
    }

    [Fact]
    public void New_playlists_come_in_at_the_top_and_every_page_keeps_its_shape_and_special_slots()
    {
        var catalog = Large.Value;
        var (before, after) = (catalog.OnDay(0), catalog.OnDay(2));
        var topped = 0;
        foreach (var category in catalog.MenuCategories.Append("全部"))
        {
            var pages = catalog.TotalPages(category);
            var old = before.ListedIds(category);
            var now = after.ListedIds(category);
            Assert.Equal(old.Count, now.Count);
            Assert.Empty(after.PageIds(category, pages));
            for (var page = 1; page < pages; page++)
                Assert.Equal(after.PageIds(category, page - 1)[^1], after.PageIds(category, page)[0]);
            var first = after.PageIds(category, 0);
            Assert.Equal(CoverKind.ForeignHost, after.Playlist(first[5]).Kind);
            Assert.Equal(CoverKind.NotAnImage, after.Playlist(first[6]).Kind);
            for (var page = 0; page < pages; page++)
            {
                var (was, @is) = (before.PageIds(category, page), after.PageIds(category, page));
                foreach (var slot in new[] { 8, 20 }.Where(slot => slot < @is.Count))
                    Assert.True(after.Playlist(@is[slot]).HasHostileText);
                foreach (var slot in new[] { 3, 10, 17, 24, 31, 8, 20 }.Where(slot => slot < @is.Count))
                    Assert.Equal(was[slot], @is[slot]);
            }
            // Own slots (not special, shared or repeated) are a queue: day 2's new playlists, then day 1's, then day 0's.
            var firstDays = OwnSlots(after, category).Select(id => after.Playlist(id).FirstDay).ToList();
            Assert.Equal(firstDays.OrderDescending(), firstDays);
            if (firstDays[0] > 0)
                topped++;
        }
        Assert.True(topped > 40, $"only {topped} categories got new playlists in two days");
    }

    private static IEnumerable<long> OwnSlots(SandboxCatalogDay day, string category)
    {
        for (var page = 0; page < day.TotalPages(category); page++)
        {
            var ids = day.PageIds(category, page);
            for (var slot = page == 0 ? 0 : 1; slot < ids.Count; slot++)
                if (!(page == 0 && slot is 5 or 6) && slot is not (8 or 20) && slot % 7 != 3)
                    yield return ids[slot];
        }
    }

    [Fact]
    public void The_same_options_give_the_same_days_whatever_was_asked_before()
    {
        var options = new SandboxOptions { Seed = 11, PagesPerCategory = 5, DeletedRate = 0.1 };
        var one = new SandboxCatalog(options, Base);
        var two = new SandboxCatalog(new SandboxOptions { Seed = 11, PagesPerCategory = 5, DeletedRate = 0.1 }, Base);
        var threeFirst = one.OnDay(3).ListedIds("说唱");
        _ = two.OnDay(1).ListedIds("说唱");
        Assert.Equal(threeFirst, two.OnDay(3).ListedIds("说唱"));
        Assert.Equal(one.OnDay(1).ListedIds("华语"), two.OnDay(1).ListedIds("华语"));
        var ids = threeFirst.Concat(one.OnDay(0).ListedIds("说唱")).Distinct().ToList();
        Assert.All(ids, id => AssertSame(one.OnDay(3).Playlist(id), two.OnDay(3).Playlist(id)));
        Assert.All(ids.Where(id => one.OnDay(3).Playlist(id).Kind == CoverKind.Ok).Take(3),
            id => Assert.Equal(one.OnDay(3).CoverBytes(id), two.OnDay(3).CoverBytes(id)));
        Assert.NotEqual(one.OnDay(0).ListedIds("说唱"), one.OnDay(3).ListedIds("说唱"));
        Assert.NotEqual(threeFirst, new SandboxCatalog(new SandboxOptions { Seed = 12, PagesPerCategory = 5 }, Base).OnDay(3).ListedIds("说唱"));
    }

    [Fact]
    public void Counts_never_decrease_or_overflow_up_to_the_last_day()
    {
        var catalog = new SandboxCatalog(new SandboxOptions { Seed = 3, DeletedRate = 0 }, Base);
        int[] days = [0, 1, 2, 7, 30, 365, SandboxOptions.MaxDay];
        var ids = catalog.OnDay(0).ListedIds("说唱").Concat(catalog.OnDay(5).ListedIds("说唱")).Distinct().Take(60).ToList();
        foreach (var id in ids)
        {
            SandboxPlaylist? previous = null;
            foreach (var day in days.Where(day => day >= catalog.OnDay(SandboxOptions.MaxDay).Playlist(id).FirstDay))
            {
                var playlist = catalog.OnDay(day).Playlist(id);
                if (previous is not null && !playlist.Deleted)
                {
                    Assert.True(playlist.PlayCount > previous.PlayCount);
                    Assert.True(playlist.SubscribedCount >= previous.SubscribedCount);
                    Assert.True(playlist.ShareCount >= previous.ShareCount);
                    Assert.True(playlist.CommentCount >= previous.CommentCount);
                    Assert.True(playlist.UpdatedAt >= previous.UpdatedAt && playlist.TracksUpdatedAt >= previous.TracksUpdatedAt);
                    Assert.InRange(playlist.PlayCount, 0, 1L << 62);
                    // An empty playlist (TrackListShape.Empty) stays at 0 until its first track change.
                    Assert.InRange(playlist.TrackCount, playlist.TrackShape == TrackListShape.Empty ? 0 : 1, 10_000);
                }
                if (playlist.Deleted)
                    break;
                previous = playlist;
            }
        }
    }

    [Fact]
    public void Days_outside_the_range_are_refused()
    {
        var catalog = new SandboxCatalog(new SandboxOptions(), Base);
        Assert.Throws<ArgumentOutOfRangeException>(() => catalog.OnDay(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => catalog.OnDay(SandboxOptions.MaxDay + 1));
        Assert.Equal(SandboxOptions.MaxDay, catalog.OnDay(SandboxOptions.MaxDay).Day);
    }
}
