using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The categories a crawl will crawl: the names asked for, trimmed and de-duplicated, with <c>all</c> expanded in place
/// into <see cref="Names"/> from the site's catalogue or menu. <see cref="Fallback"/> says why <see cref="CategoryMenu.Known"/> was
/// used instead (blocked, malformed, unreachable); <see cref="Unreachable"/> is set when the site could not be reached.
/// </summary>
public sealed record ResolvedCategories(IReadOnlyList<string> Names, string? Fallback = null)
{
    public SiteFetchException? Unreachable { get; init; }
}

/// <summary>
/// Expands <c>all</c> (any case, alone or among names) into every category the site lists: its JSON catalogue when lists
/// are read as JSON, else (or when that fails) its menu page.
/// </summary>
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

    /// <summary>
    /// With JSON lists (<c>NetEase__ListSource=api</c>) the catalogue first, then the menu page, then
    /// <see cref="CategoryMenu.Known"/>; each fallback is one warning naming the URL that failed and why. An unreachable
    /// site goes straight to the known list: the next address is on the same site.
    /// </summary>
    private async Task<ResolvedCategories> ReadMenuAsync(CancellationToken ct)
    {
        if (client.UseApiLists)
        {
            var catalogueUrl = NetEaseUrls.Catalogue(client.BaseUri);
            var catalogue = await TryReadAsync(client.GetCatalogueAsync, ct);
            if (catalogue.Names is { } fromCatalogue)
            {
                log.LogInformation("Category 'all': the site's catalogue lists {Count} categories{Note}", fromCatalogue.Count, Note(catalogue.Note));
                return new ResolvedCategories(OnlyNames(fromCatalogue, "catalogue"));
            }
            if (catalogue.Unreachable is not null) return Known(catalogueUrl, "catalogue", catalogue.Why!, catalogue.Unreachable);
            log.LogWarning("Category 'all': the catalogue at {Url} could not be read ({Why}); reading the menu page instead", catalogueUrl, catalogue.Why);
        }

        var menuUrl = NetEaseUrls.CategoryMenu(client.BaseUri);
        var menu = await TryReadAsync(client.GetCategoryMenuAsync, ct);
        if (menu.Names is { } fromMenu)
        {
            log.LogInformation("Category 'all': the site's menu lists {Count} categories", fromMenu.Count);
            return new ResolvedCategories(OnlyNames(fromMenu, "menu"));
        }
        return Known(menuUrl, "menu", menu.Why!, menu.Unreachable);
    }

    /// <summary>
    /// The site's entries that are category names (<see cref="CategoryNames"/>), at most <see cref="CategoryNames.MaxFromMenu"/>:
    /// an entry that is not a name is skipped and a longer list cut, each said in one warning line.
    /// </summary>
    private List<string> OnlyNames(IReadOnlyList<string> listed, string what)
    {
        var names = new List<string>();
        var skipped = new List<string>();
        foreach (var name in listed)
        {
            if (CategoryNames.Problem(name) is { } why) skipped.Add($"'{CategoryNames.Preview(name)}' ({why})");
            else names.Add(name);
        }
        if (skipped.Count > 0)
            log.LogWarning("Category 'all': skipped {Count} {What} entries that are not category names ({Rule}): {Entries}",
                skipped.Count, what, CategoryNames.Rule, string.Join(", ", skipped.Take(5)) + (skipped.Count > 5 ? ", …" : ""));
        if (names.Count > CategoryNames.MaxFromMenu)
        {
            log.LogWarning("Category 'all': the {What} lists {Count} categories; crawling the first {Max}", what, names.Count, CategoryNames.MaxFromMenu);
            names.RemoveRange(CategoryNames.MaxFromMenu, names.Count - CategoryNames.MaxFromMenu);
        }
        return names;
    }

    private ResolvedCategories Known(Uri url, string what, string why, SiteFetchException? unreachable)
    {
        var known = CategoryMenu.Known.Select(c => c.Name).ToList();
        log.LogWarning("Category 'all': the {What} at {Url} could not be read ({Why}); crawling the {Count} categories known from the reference instead",
            what, url, why, known.Count);
        return new ResolvedCategories(known, why) { Unreachable = unreachable };
    }

    private static string Note(string? note) => note is null ? "" : $" ({note})";

    /// <summary>The names one source lists, or why it could not be read.</summary>
    private static async Task<(IReadOnlyList<string>? Names, string? Note, string? Why, SiteFetchException? Unreachable)> TryReadAsync(
        Func<CancellationToken, Task<PageResult<IReadOnlyList<PlaylistCategory>>>> read, CancellationToken ct)
    {
        try
        {
            var result = await read(ct);
            if (result is { Outcome: PageOutcome.Ok, Value: { } categories })
                return ([.. categories.Select(c => c.Name)], result.Reason, null, null);
            var why = result.Outcome switch
            {
                PageOutcome.Blocked => $"blocked: {result.Reason}",
                PageOutcome.Gone => $"not found: {result.Reason}",
                _ => $"malformed: {result.Reason}",
            };
            return (null, null, why, null);
        }
        catch (SiteFetchException e) when (!ct.IsCancellationRequested)
        {
            return (null, null, $"unreachable: {e.Message}", e);
        }
    }
}
