namespace FunctionsCrawler.Sandbox.Tests;

/// <summary>Track lists and the song pool, from the catalogue (the truth a crawl is checked against).</summary>
public sealed class TrackTests
{
    private static readonly Uri Base = new("http://127.0.0.1:5080/");

    // Every menu category's playlists on day 0 (about 3,000) and their lists, built once for the tests that only read them.
    private static readonly Lazy<(SandboxCatalog Catalog, List<SandboxPlaylist> Playlists, Dictionary<long, IReadOnlyList<SandboxTrack>> Tracks)> Sample = new(() =>
    {
        var catalog = new SandboxCatalog(new SandboxOptions { Seed = 7, PagesPerCategory = 2, DeletedRate = 0.1 }, Base);
        var playlists = catalog.MenuCategories.Append("全部").SelectMany(catalog.ListedIds).Distinct()
            .Select(catalog.Playlist).Where(playlist => !playlist.Deleted).ToList();
        return (catalog, playlists, playlists.ToDictionary(playlist => playlist.Id, playlist => catalog.Tracks(playlist.Id)));
    });

    private static int Lag(TrackListShape shape) => shape switch
    {
        TrackListShape.ListOneLonger => 1,
        TrackListShape.ListOneShorter => -1,
        _ => 0,
    };

    [Fact]
    public void A_smaller_MaxTrackCount_is_the_same_site_with_shorter_lists_and_the_long_lists_kept()
    {
        var (full, playlists, _) = Sample.Value;
        var small = new SandboxCatalog(new SandboxOptions { Seed = 7, PagesPerCategory = 2, DeletedRate = 0.1, MaxTrackCount = 60 }, Base);
        foreach (var category in full.MenuCategories) Assert.Equal(full.ListedIds(category), small.ListedIds(category));
        foreach (var playlist in playlists)
        {
            var shorter = small.Playlist(playlist.Id);
            Assert.Equal((playlist.Name, playlist.PlayCount, playlist.TrackShape), (shorter.Name, shorter.PlayCount, shorter.TrackShape));
            Assert.Equal(shorter.TrackCount + Lag(shorter.TrackShape), small.Tracks(playlist.Id).Count);
            if (playlist.TrackShape is TrackListShape.Large or TrackListShape.Empty) Assert.Equal(playlist.TrackCount, shorter.TrackCount);
            else Assert.InRange(shorter.TrackCount, 1, 60);
        }
    }

    [Fact]
    public void Every_list_is_as_long_as_its_track_count_but_for_the_documented_shapes()
    {
        var (_, playlists, lists) = Sample.Value;
        var shapes = new Dictionary<TrackListShape, int>();
        foreach (var playlist in playlists)
        {
            var tracks = lists[playlist.Id];
            shapes[playlist.TrackShape] = shapes.GetValueOrDefault(playlist.TrackShape) + 1;
            Assert.Equal(playlist.TrackCount + Lag(playlist.TrackShape), tracks.Count);
            switch (playlist.TrackShape)
            {
                case TrackListShape.Empty:
                    Assert.Equal(0, playlist.TrackCount);
                    break;
                case TrackListShape.Large:
                    Assert.InRange(playlist.TrackCount, 1_200, 3_000);
                    break;
                default:
                    Assert.InRange(playlist.TrackCount, 1, 999);
                    break;
            }
            if (playlist.Kind != CoverKind.Ok || playlist.HasHostileText)
                Assert.Equal(TrackListShape.Ordinary, playlist.TrackShape); // the special slots keep their own case
            Assert.Equal(tracks.Count, tracks.Select(track => track.SongId).Distinct().Count());
            if (tracks.Count == 0)
                continue;
            // Added between creation and the last change of the tracks, the newest exactly then; in order of adding.
            Assert.All(tracks, track => Assert.InRange(track.AddedAt, playlist.CreatedAt, playlist.TracksUpdatedAt));
            Assert.Equal(playlist.TracksUpdatedAt, tracks.Max(track => track.AddedAt));
            var times = tracks.Select(track => track.AddedAt).ToList();
            Assert.True(times.SequenceEqual(times.OrderDescending()) || times.SequenceEqual(times.Order()), $"playlist {playlist.Id} is not in order of adding");
        }
        var ordinary = playlists.Count(playlist => playlist.Kind == CoverKind.Ok && !playlist.HasHostileText);
        foreach (var shape in new[] { TrackListShape.Empty, TrackListShape.Large, TrackListShape.ListOneLonger, TrackListShape.ListOneShorter })
            Assert.InRange(100.0 * shapes.GetValueOrDefault(shape) / ordinary, 0.8, 2.2);
    }

    [Fact]
    public void Songs_repeat_across_playlists_and_look_like_the_real_ones()
    {
        var (catalog, playlists, lists) = Sample.Value;
        var inPlaylists = new Dictionary<long, int>();
        long slots = 0;
        foreach (var playlist in playlists)
        {
            foreach (var track in lists[playlist.Id])
                inPlaylists[track.SongId] = inPlaylists.GetValueOrDefault(track.SongId) + 1;
            slots += playlist.TrackCount;
        }
        // Popular songs are in many playlists, and the pool is far smaller than the slots.
        Assert.True(inPlaylists.Values.Max() > playlists.Count / 10, $"the most listed song is in {inPlaylists.Values.Max()} playlists");
        Assert.True(inPlaylists.Count < slots / 5, $"{inPlaylists.Count} songs for {slots} slots");

        var songs = inPlaylists.Keys.Select(catalog.Song).ToList();
        Assert.Contains(songs, song => song.Id > int.MaxValue);
        Assert.Contains(songs, song => song.Id < 10_000_000);
        Assert.All(songs, song =>
        {
            Assert.InRange(song.Artists.Count, 1, 3);
            Assert.Equal(song.Artists.Count, song.Artists.Select(artist => artist.Id).Distinct().Count());
            Assert.StartsWith("http://127.0.0.1:5080/", song.Album.PicUrl);
            Assert.EndsWith(".jpg", song.Album.PicUrl);
            Assert.InRange(song.TrackNumber, 1, 8);
            Assert.Equal(song.Name.Trim(), song.Name);
        });
        var ordinaryLength = songs.Count(song => song.DurationMs is >= 90_000 and <= 480_000);
        Assert.InRange(100.0 * ordinaryLength / songs.Count, 93, 98);
        Assert.Contains(songs, song => song.DurationMs > 3_600_000);
        Assert.InRange(100.0 * songs.Count(song => song.HasHostileText) / songs.Count, 0.5, 1.5);
        Assert.Contains(songs, song => song.Artists.Count == 3);
        // Songs of one album share it and its artist.
        var album = songs.GroupBy(song => song.Album.Id).First(group => group.Count() > 1).ToList();
        Assert.Single(album.Select(song => (song.Album.Name, song.Album.PicUrl, song.Artists[0])).Distinct());
    }

    [Fact]
    public void Song_ids_are_recognised_without_a_table_and_others_are_unknown()
    {
        var (catalog, playlists, lists) = Sample.Value;
        var ids = playlists.Take(20).SelectMany(playlist => lists[playlist.Id]).Select(track => track.SongId).Distinct().ToList();
        Assert.All(ids, id => Assert.Equal(id, catalog.Song(id).Id));
        var neighbours = ids.SelectMany(id => new[] { id - 1, id + 1 }).Where(id => !ids.Contains(id)).ToList();
        Assert.True(neighbours.Count(id => catalog.TryGetSong(id, out _)) < neighbours.Count / 5);
        foreach (var unknown in new[] { 0L, 1L, -5L, 99_999L, long.MaxValue, 2_800_000_000L })
            Assert.False(catalog.TryGetSong(unknown, out _));
        Assert.Throws<KeyNotFoundException>(() => catalog.Song(1));
        Assert.Throws<KeyNotFoundException>(() => catalog.Tracks(1));
    }

    [Fact]
    public void The_same_options_give_the_same_lists_and_songs()
    {
        var options = () => new SandboxOptions { Seed = 21, PagesPerCategory = 2 };
        var (one, two) = (new SandboxCatalog(options(), Base), new SandboxCatalog(options(), Base));
        var ids = two.ListedIds("说唱").Distinct().ToList();
        _ = two.OnDay(2).Tracks(ids[1]); // asking another day first changes nothing
        foreach (var id in ids)
        {
            Assert.Equal(one.Tracks(id), two.Tracks(id));
            Assert.Equal(one.OnDay(3).Tracks(id), two.OnDay(3).Tracks(id));
        }
        foreach (var song in one.Tracks(ids[0]).Select(track => track.SongId))
        {
            // Records compare lists by reference: the artists are compared by value.
            Assert.Equal(one.Song(song) with { Artists = [] }, two.Song(song) with { Artists = [] });
            Assert.Equal(one.Song(song).Artists, two.Song(song).Artists);
        }
    }

    [Fact]
    public void A_day_changes_only_the_lists_whose_track_count_changed_with_that_days_time()
    {
        var catalog = new SandboxCatalog(new SandboxOptions { Seed = 3, PagesPerCategory = 2, AllPagesFull = true, DeletedRate = 0 }, Base);
        var (before, after) = (catalog.OnDay(0), catalog.OnDay(1));
        int added = 0, removed = 0;
        foreach (var id in catalog.MenuCategories.Take(24).SelectMany(before.ListedIds).Distinct())
        {
            var (old, now) = (before.Playlist(id), after.Playlist(id));
            var (was, @is) = (before.Tracks(id), after.Tracks(id));
            if (now.Deleted)
            {
                Assert.Empty(@is); // nothing left to store
                continue;
            }
            Assert.Equal(now.TrackCount + Lag(now.TrackShape), @is.Count);
            var delta = now.TrackCount - old.TrackCount;
            if (delta == 0)
            {
                Assert.Equal(was, @is);
                continue;
            }
            var kept = was.ToHashSet();
            if (delta > 0)
            {
                added++;
                // The new tracks, all added at the day's change, on top of the old list or after it.
                var fresh = @is.Where(track => !kept.Contains(track)).ToList();
                Assert.Equal(delta, fresh.Count);
                Assert.All(fresh, track => Assert.Equal(now.TracksUpdatedAt, track.AddedAt));
                Assert.InRange(now.TracksUpdatedAt, after.Start, after.Start.AddDays(1));
                Assert.True(@is.Take(delta).SequenceEqual(fresh) || @is.TakeLast(delta).SequenceEqual(fresh));
                Assert.Equal(was, @is.Except(fresh));
            }
            else
            {
                removed++;
                // Some tracks gone, the others in the same order with the same times.
                var left = @is.ToHashSet();
                Assert.Equal(was.Where(left.Contains), @is);
            }
        }
        Assert.True(added > 20 && removed > 20, $"{added} lists grew and {removed} shrank on day 1");
    }

    [Fact]
    public void Expected_tracks_are_the_distinct_songs_of_the_expected_rows()
    {
        var (catalog, _, _) = Sample.Value;
        var rows = catalog.ExpectedRows(["说唱", "后摇"], maxPages: 2);
        var expected = rows.SelectMany(row => catalog.Tracks(row.Playlist.Id)).Select(track => track.SongId).Distinct().ToList();
        var songs = catalog.ExpectedTracks(["说唱", "后摇"], maxPages: 2);
        Assert.Equal(expected, songs.Select(song => song.Id));
        Assert.Equal(catalog.Song(expected[^1]).Name, songs[^1].Name);
    }

    [Fact]
    public void A_whole_site_catalogue_makes_its_lists_on_demand()
    {
        // 72 categories of 12 full pages: about 30,000 playlists and 15 million track slots, none made until asked for.
        var catalog = new SandboxCatalog(new SandboxOptions { Seed = 5, PagesPerCategory = 12, AllPagesFull = true }, Base);
        foreach (var category in catalog.MenuCategories.Take(3))
        {
            var ids = catalog.PageIds(category, 10);
            Assert.Equal(35, ids.Count);
            foreach (var id in ids.Where(id => !catalog.Playlist(id).Deleted))
            {
                var tracks = catalog.Tracks(id);
                Assert.Equal(catalog.Playlist(id).TrackCount + Lag(catalog.Playlist(id).TrackShape), tracks.Count);
                Assert.All(tracks.Take(3), track => Assert.Equal(track.SongId, catalog.Song(track.SongId).Id));
            }
        }
    }
}
