namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>
/// Lays out one category's hot list: how many pages, how full the last one is, and which id sits
/// in each slot. Fixed slots make the special cases predictable (see README, "Special cases").
/// </summary>
internal static class CategoryPages
{
    public const string Empty = "空";
    public const string SinglePage = "后摇";
    public static readonly IReadOnlyList<string> Full = [CategoryNames.All, "说唱", "华语"];

    /// <summary>Page 0's slot with the foreign-host cover.</summary>
    public const int ForeignCoverSlot = 5;

    /// <summary>Page 0's slot with the cover that is HTML served as image/jpeg.</summary>
    public const int NotAnImageSlot = 6;

    /// <summary>Every page's slots with hostile text: slot 8 shows set 2p, slot 20 set 2p+1 (see HostileText).</summary>
    public static readonly int[] HostileSlots = [8, 20];

    /// <summary>Slots 3, 10, 17, 24, 31 hold ids from the pool every category shares.</summary>
    private const int SharedEvery = 7;
    private const int SharedFirst = 3;
    private const int SharedPerPage = 5;

    public static int TotalPages(string category, int pagesPerCategory, bool allPagesFull = false)
    {
        if (string.IsNullOrWhiteSpace(category) || category == Empty)
            return 0;
        if (category == SinglePage)
            return 1;
        if (allPagesFull || Full.Contains(category))
            return pagesPerCategory;
        // Seed-independent on purpose: a category's size stays the same whatever the seed.
        return 1 + (int)(StableHash.Fnv32(category) % (uint)pagesPerCategory);
    }

    public static int LastPageSize(string category, int lastPageSizeOption) =>
        lastPageSizeOption > 0 ? lastPageSizeOption : 21 + (int)(StableHash.Fnv32(category + "#last") % 14);

    public static List<long[]> Build(string category, SandboxOptions options, PlaylistIds ids)
    {
        var total = TotalPages(category, options.PagesPerCategory, options.AllPagesFull);
        var lastSize = LastPageSize(category, options.LastPageSize);
        var sharedPool = SharedPerPage * options.PagesPerCategory;
        var sharedOffset = (int)(StableHash.Fnv32(category + "#shared") % (uint)sharedPool);
        var pages = new List<long[]>(total);
        for (var page = 0; page < total; page++)
        {
            var size = page == total - 1 ? lastSize : SandboxCatalog.PageSize;
            var slots = new long[size];
            for (var slot = 0; slot < size; slot++)
            {
                slots[slot] = (page, slot) switch
                {
                    // The hot order shifts while a crawler pages: the previous page's last item shows up again.
                    ( > 0, 0) => pages[page - 1][^1],
                    (0, ForeignCoverSlot) => Own(category, page, slot, PlaylistOrigin.ForeignHostCover, options.Seed, ids),
                    (0, NotAnImageSlot) => Own(category, page, slot, PlaylistOrigin.NotAnImageCover, options.Seed, ids),
                    (_, _) when HostileSlots.Contains(slot) =>
                        Hostile(category, page, slot, (2 * page + Array.IndexOf(HostileSlots, slot)) % HostileText.Sets.Count, options.Seed, ids),
                    (_, _) when slot % SharedEvery == SharedFirst =>
                        Shared((page * SharedPerPage + slot / SharedEvery + sharedOffset) % sharedPool, options.Seed, ids),
                    _ => Own(category, page, slot, PlaylistOrigin.Ordinary, options.Seed, ids),
                };
            }
            pages.Add(slots);
        }
        return pages;
    }

    private static long Own(string category, int page, int slot, PlaylistOrigin origin, int seed, PlaylistIds ids) =>
        ids.Mint(StableHash.Of(seed, "own:" + category, page, slot), origin);

    /// <summary>Mints ids for the slot until one shows the wanted hostile set (about ten tries).</summary>
    private static long Hostile(string category, int page, int slot, int set, int seed, PlaylistIds ids)
    {
        for (var attempt = 0L; ; attempt++)
        {
            var id = ids.Mint(StableHash.Of(seed, "own:" + category, page, slot, attempt), PlaylistOrigin.HostileText);
            if (HostileText.SetIndex(seed, id) == set)
                return id;
        }
    }

    private static long Shared(int poolIndex, int seed, PlaylistIds ids) =>
        ids.Mint(StableHash.Of(seed, "shared", poolIndex), PlaylistOrigin.Ordinary);
}
