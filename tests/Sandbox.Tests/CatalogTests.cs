namespace FunctionsCrawler.Sandbox.Tests;

public sealed class CatalogTests
{
    private static readonly Uri Base = new("http://127.0.0.1:5080/");

    private static SandboxCatalog Catalog(int seed = 1, int pages = 3, double deletedRate = 0.03) =>
        new(new SandboxOptions { Seed = seed, PagesPerCategory = pages, DeletedRate = deletedRate }, Base);

    [Fact]
    public void Page_counts_follow_the_documented_rule()
    {
        var catalog = Catalog(pages: 5);
        Assert.Equal(5, catalog.TotalPages("全部"));
        Assert.Equal(5, catalog.TotalPages("说唱"));
        Assert.Equal(5, catalog.TotalPages("华语"));
        Assert.Equal(1, catalog.TotalPages("后摇"));
        Assert.Equal(0, catalog.TotalPages("空"));
        Assert.Equal(0, catalog.TotalPages(""));
        Assert.All(SandboxCatalog.ListedCategories, category => Assert.InRange(catalog.TotalPages(category), 1, 5));
        Assert.True(SandboxCatalog.ListedCategories.Select(catalog.TotalPages).Distinct().Count() > 2, "page counts should vary by category");
        Assert.Equal(catalog.TotalPages("R&B/Soul"), Catalog(seed: 99, pages: 5).TotalPages("R&B/Soul"));
    }

    [Fact]
    public void Pages_are_full_except_the_partial_last_one()
    {
        var catalog = Catalog();
        foreach (var category in new[] { "说唱", "华语", "R&B/Soul", "后摇" })
        {
            var total = catalog.TotalPages(category);
            for (var page = 0; page < total - 1; page++)
                Assert.Equal(35, catalog.PageIds(category, page).Count);
            Assert.InRange(catalog.PageIds(category, total - 1).Count, 1, 34);
            Assert.Empty(catalog.PageIds(category, total));
        }
        var fixedLast = new SandboxCatalog(new SandboxOptions { LastPageSize = 12 }, Base);
        Assert.Equal(12, fixedLast.PageIds("说唱", 2).Count);
    }

    [Fact]
    public void Same_seed_gives_the_same_site_and_another_seed_another()
    {
        Assert.Equal(Catalog().PageIds("说唱", 1), Catalog().PageIds("说唱", 1));
        Assert.Equal(Catalog().Playlist(Catalog().PageIds("说唱", 1)[4]), Catalog().Playlist(Catalog().PageIds("说唱", 1)[4]) with { });
        Assert.NotEqual(Catalog().PageIds("说唱", 1), Catalog(seed: 2).PageIds("说唱", 1));
    }

    [Fact]
    public void Ids_repeat_across_pages_of_a_category_and_are_shared_between_categories()
    {
        var catalog = Catalog();
        Assert.Equal(catalog.PageIds("说唱", 0)[^1], catalog.PageIds("说唱", 1)[0]);
        var rap = Enumerable.Range(0, 3).SelectMany(page => catalog.PageIds("说唱", page)).ToHashSet();
        var chinese = Enumerable.Range(0, 3).SelectMany(page => catalog.PageIds("华语", page)).ToHashSet();
        Assert.NotEmpty(rap.Intersect(chinese));
    }

    [Fact]
    public void Ids_and_counts_span_the_64_bit_range()
    {
        var catalog = Catalog();
        var playlists = new[] { "说唱", "华语", "全部" }
            .SelectMany(category => Enumerable.Range(0, 3).SelectMany(page => catalog.PageIds(category, page)))
            .Distinct().Select(catalog.Playlist).ToList();
        Assert.Contains(playlists, p => p.Id > 2_000_000_000_000);
        Assert.Contains(playlists, p => p.Id is > int.MaxValue and < 100_000_000_000);
        Assert.Contains(playlists, p => p.Id < 100_000_000);
        Assert.Contains(playlists, p => p.PlayCount > int.MaxValue);
        Assert.Contains(playlists, p => p.PlayCount < 100_000);
        Assert.Contains(playlists, p => p.CreatorId > int.MaxValue);
        Assert.Contains(playlists, p => p.SubscribedCount == 0);
        Assert.Contains(playlists, p => p.ShareCount == 0);
        Assert.Contains(playlists, p => p.CommentCount == 0);
        Assert.Contains(playlists, p => p.Description.Length == 0);
        Assert.Contains(playlists, p => p.Description.Contains('\n'));
        Assert.Contains(playlists, p => p.Description.Length > 100);
        Assert.Contains(playlists, p => p.Tags.Count == 0);
        Assert.Contains(playlists, p => p.Tags.Count == 3);
        Assert.All(playlists, p => Assert.Equal(0, p.CreatedAt.Ticks % TimeSpan.TicksPerSecond));
        Assert.All(playlists, p => Assert.Equal(TimeSpan.Zero, p.CreatedAt.Offset));
    }

    [Fact]
    public void Expected_rows_leave_out_deleted_ids_and_count_each_id_once_per_category()
    {
        var catalog = Catalog(deletedRate: 0.2);
        var listed = Enumerable.Range(0, 3).SelectMany(page => catalog.PageIds("说唱", page)).ToList();
        Assert.True(listed.Count > listed.Distinct().Count(), "some id should repeat");
        Assert.Contains(listed, id => catalog.Playlist(id).Deleted);

        var rows = catalog.ExpectedRows(["说唱", "华语", "说唱"]);
        var rapRows = rows.Where(row => row.Category == "说唱").Select(row => row.Playlist.Id).ToList();
        Assert.Equal(listed.Distinct().Where(id => !catalog.Playlist(id).Deleted), rapRows);
        Assert.DoesNotContain(rows, row => row.Playlist.Deleted);
        Assert.Equal(rows.Count, rows.Select(row => (row.Category, row.Playlist.Id)).Distinct().Count());
        // A playlist listed in two categories is a row in each.
        Assert.Contains(rows.GroupBy(row => row.Playlist.Id), group => group.Count() == 2);

        var firstPage = catalog.ExpectedRows(["说唱"], maxPages: 1);
        Assert.Equal(catalog.PageIds("说唱", 0).Distinct().Count(id => !catalog.Playlist(id).Deleted), firstPage.Count);
    }

    [Fact]
    public void Special_playlists_are_never_deleted()
    {
        var catalog = Catalog(deletedRate: 1);
        var firstPage = catalog.PageIds("说唱", 0);
        Assert.False(catalog.Playlist(firstPage[5]).Deleted);
        Assert.False(catalog.Playlist(firstPage[6]).Deleted);
        Assert.False(catalog.Playlist(firstPage[8]).Deleted);
        Assert.False(catalog.Playlist(firstPage[20]).Deleted);
        Assert.True(catalog.Playlist(firstPage[0]).Deleted);
        Assert.Equal(4, catalog.ExpectedRows(["说唱"], 1).Count);
    }

    [Fact]
    public void Unknown_ids_are_recognised()
    {
        var catalog = Catalog();
        Assert.False(catalog.IsKnown(1));
        Assert.Throws<KeyNotFoundException>(() => catalog.Playlist(1));
        var id = catalog.PageIds("说唱", 0)[0];
        Assert.True(catalog.IsKnown(id));
        Assert.False(catalog.IsKnown(id + 7));
    }
}
