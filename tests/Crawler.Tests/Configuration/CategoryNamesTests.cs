using FunctionsCrawler.Configuration;
using FunctionsCrawler.Data;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FunctionsCrawler.Tests.Configuration;

/// <summary>A category is a name as the site's menu shows one; everything else is refused in one line naming entry, index and why.</summary>
public sealed class CategoryNamesTests
{
    [Fact]
    public void Every_category_of_the_real_menu_is_a_name()
    {
        foreach (var category in CategoryMenu.Known.Select(c => c.Name).Append(CategoryMenu.All).Append("all"))
            Assert.Null(CategoryNames.Problem(category));
    }

    public static TheoryData<string, string> Hostile => new()
    {
        { "说唱\nfoo", "a line break (U+000A)" },
        { "说唱\0", "a NUL (U+0000)" },
        { "\u001b[31m说唱", "an escape (U+001B)" },
        { new string('唱', 5000), "it is 5000 characters long" },
        { "说唱\u202e", "a control character (U+202E)" },
        { "<b>说唱</b>", "'<' (U+003C)" },
        { "", "it is empty" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_hostile_category_is_refused_in_one_line_naming_its_index_and_why(string category, string why)
    {
        var problem = CategoryNames.ProblemOf(["说唱", category], CategoryNames.MaxPerRequest, "categories");
        Assert.NotNull(problem);
        Assert.StartsWith("categories[1] ('", problem);
        Assert.Contains(why, problem);
        Assert.EndsWith(CategoryNames.Rule + ".", problem);
        Assert.DoesNotContain(problem, c => char.IsControl(c) || c is '\u202e');
        Assert.True(problem.Length < 300, problem);
    }

    [Fact]
    public void More_than_a_hundred_categories_in_one_request_are_refused()
    {
        var many = Enumerable.Range(0, 10_000).Select(i => "c" + i).ToList();
        Assert.Equal("categories may name at most 100 categories, got 10000.", CategoryNames.ProblemOf(many, CategoryNames.MaxPerRequest, "categories"));
        Assert.Null(CategoryNames.ProblemOf(many.Take(100).ToList(), CategoryNames.MaxPerRequest, "categories"));
    }

    [Fact]
    public void A_bad_Crawler__Categories_names_the_setting()
    {
        var failures = new CrawlerOptionsValidator().Validate(null, new CrawlerOptions { Categories = "说唱,a\u001bb" }).Failures ?? [];
        var problem = Assert.Single(failures);
        Assert.StartsWith("Crawler__Categories[1] ('a␛b') is not a category name: it holds an escape (U+001B)", problem);
    }

    [Fact]
    public void The_registry_reads_its_json_array_and_the_old_joined_form()
    {
        Assert.Equal(["说唱\nfoo", "R&B/Soul"], CrawlTable.ReadCategories("""["说唱\nfoo","R&B/Soul"]"""));
        Assert.Equal(["说唱", "华语"], CrawlTable.ReadCategories("说唱\n华语"));
        Assert.Equal(["[broken"], CrawlTable.ReadCategories("[broken"));
    }

    [Fact]
    public void A_listing_cuts_texts_over_500_characters_and_says_so()
    {
        var row = new PlaylistRecord
        {
            Category = "说唱",
            CrawlId = "c",
            CrawledAt = DateTimeOffset.UnixEpoch,
            Detail = new PlaylistDetail { Id = 1, Name = new string('n', 32_000), CreatorNickname = "short", Tags = ["华语", new string('t', 600)] },
        };
        var item = PlaylistItemView.From(row);
        Assert.True(item.TextsCut);
        Assert.Equal(new string('n', 500) + "…", item.Name);
        Assert.Equal("short", item.CreatorNickname);
        Assert.Equal(["华语", new string('t', 500) + "…"], item.Tags);
        Assert.False(PlaylistItemView.From(row with { Detail = row.Detail with { Name = "x", Tags = [] } }).TextsCut);
    }

    [Fact]
    public async Task A_status_read_is_kept_a_few_seconds_per_crawl_then_read_again()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var cache = new StatusReadCache(time);
        var reads = new List<string>();
        Task<CrawlProgress?> Read(string id, CancellationToken _)
        {
            reads.Add(id);
            return Task.FromResult<CrawlProgress?>(new CrawlProgress { CrawlId = id });
        }

        await cache.ReadAsync("a", Read, default);
        await cache.ReadAsync("a", Read, default);
        await cache.ReadAsync("b", Read, default);
        Assert.Equal(["a", "b"], reads);

        time.Advance(StatusReadCache.Lifetime);
        await cache.ReadAsync("a", Read, default);
        Assert.Equal(["a", "b", "a"], reads);
    }

    [Fact]
    public async Task A_failed_status_read_is_not_kept()
    {
        var cache = new StatusReadCache(new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var tries = 0;
        Task<CrawlProgress?> Read(string id, CancellationToken _) =>
            ++tries == 1 ? throw new ProgressUnavailableException(id, "down", new InvalidOperationException("down")) : Task.FromResult<CrawlProgress?>(null);
        await Assert.ThrowsAsync<ProgressUnavailableException>(() => cache.ReadAsync("a", Read, default));
        Assert.Null(await cache.ReadAsync("a", Read, default));
        Assert.Equal(2, tries);
    }
}
