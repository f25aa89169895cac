using FunctionsCrawler.NetEase;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The categories a crawl will crawl: the names asked for, trimmed and de-duplicated, with <c>all</c> expanded in place
/// into <see cref="Names"/> from the site's menu. <see cref="Fallback"/> says why <see cref="CategoryMenu.Known"/> was
/// used instead (blocked, malformed, unreachable); <see cref="Unreachable"/> is set when the site could not be reached.
/// </summary>
public sealed record ResolvedCategories(IReadOnlyList<string> Names, string? Fallback = null)
{
    public SiteFetchException? Unreachable { get; init; }
}

/// <summary>Expands <c>all</c> (any case, alone or among names) into every category the site's menu lists.</summary>
public sealed class ResolveCategories(NetEaseClient client, ILogger<ResolveCategories> log)
{
    public const string All = "all";

    public static bool IsAll(string name) => string.Equals(name.Trim(), All, StringComparison.OrdinalIgnoreCase);

    public async Task<ResolvedCategories> RunAsync(IReadOnlyList<string> requested, CancellationToken ct)
    {
        var names = requested.Select(c => c.Trim()).Where(c => c.Length > 0).ToList();
        if (!names.Any(IsAll)) return new ResolvedCategories(names.Distinct(StringComparer.Ordinal).ToList());

        var menu = await ReadMenuAsync(ct);
        var expanded = names.SelectMany(name => IsAll(name) ? menu.Names : [name]).Distinct(StringComparer.Ordinal).ToList();
        return menu with { Names = expanded };
    }

    private async Task<ResolvedCategories> ReadMenuAsync(CancellationToken ct)
    {
        var url = NetEaseUrls.CategoryMenu(client.BaseUri);
        string why;
        SiteFetchException? unreachable = null;
        try
        {
            var menu = await client.GetCategoryMenuAsync(ct);
            if (menu is { Outcome: PageOutcome.Ok, Value: { } categories })
            {
                log.LogInformation("Category 'all': the site's menu lists {Count} categories", categories.Count);
                return new ResolvedCategories([.. categories.Select(c => c.Name)]);
            }
            why = menu.Outcome switch
            {
                PageOutcome.Blocked => $"blocked: {menu.Reason}",
                PageOutcome.Gone => $"not found: {menu.Reason}",
                _ => $"malformed: {menu.Reason}",
            };
        }
        catch (SiteFetchException e) when (!ct.IsCancellationRequested)
        {
            unreachable = e;
            why = $"unreachable: {e.Message}";
        }
        var known = CategoryMenu.Known.Select(c => c.Name).ToList();
        log.LogWarning("Category 'all': the menu at {Url} could not be read ({Why}); crawling the {Count} categories known from the reference instead",
            url, why, known.Count);
        return new ResolvedCategories(known, why) { Unreachable = unreachable };
    }
}
