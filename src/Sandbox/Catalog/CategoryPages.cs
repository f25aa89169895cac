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

    /// <summary>Items in the category's list, repeats included: the same on every day.</summary>
    public static int ListedCount(string category, SandboxOptions options)
    {
        var total = TotalPages(category, options.PagesPerCategory, options.AllPagesFull);
        return total == 0 ? 0 : (total - 1) * SandboxCatalog.PageSize + LastPageSize(category, options.LastPageSize);
    }

    /// <summary>
    /// The category's pages on <paramref name="day"/>. Special slots (covers, hostile text, the shared pool) hold the
    /// same ids on every day; the other ("own") slots are a queue in page order: each day a few new playlists go in
    /// at the top and as many fall off the end, so the category keeps its pages. Slot 0 of every page after the
    /// first repeats the previous page's last id, whatever that is on the day.
    /// </summary>
    public static List<long[]> Build(string category, SandboxOptions options, PlaylistIds ids, int day)
    {
        var total = TotalPages(category, options.PagesPerCategory, options.AllPagesFull);
        var lastSize = LastPageSize(category, options.LastPageSize);
        var sharedPool = SharedPerPage * options.PagesPerCategory;
        var sharedOffset = (int)(StableHash.Fnv32(category + "#shared") % (uint)sharedPool);
        var pages = new List<long[]>(total);
        var own = new List<(int Page, int Slot)>();
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
                if (IsOwn(page, slot))
                    own.Add((page, slot));
            }
            pages.Add(slots);
        }
        if (day > 0 && own.Count > 0)
            MoveOn(pages, own, Arrivals(category, options.Seed, ids, day, own.Count, ListedCount(category, options)));
        return pages;
    }

    /// <summary>A slot of the category's own ordinary playlists: not a repeat, a special case or the shared pool.</summary>
    private static bool IsOwn(int page, int slot) =>
        (page, slot) is not (> 0, 0) and not (0, ForeignCoverSlot or NotAnImageSlot)
        && !HostileSlots.Contains(slot) && slot % SharedEvery != SharedFirst;

    /// <summary>
    /// The newest playlists of the category up to <paramref name="day"/>, newest first, at most <paramref name="room"/>:
    /// each day d adds 0..2 × NewRate of the list (its own count per category and day) on top of day d−1's.
    /// </summary>
    private static List<long> Arrivals(string category, int seed, PlaylistIds ids, int day, int room, int listed)
    {
        var arrivals = new List<long>();
        var seen = new HashSet<long>();
        for (var d = day; d >= 1 && arrivals.Count < room; d--)
        {
            var count = new SeededSequence(StableHash.Of(seed, "new-count:" + category, d));
            var newToday = (int)(listed * 2 * DailyChange.NewRate * count.NextDouble() + count.NextDouble());
            for (var i = 0; i < newToday && arrivals.Count < room; i++)
            {
                var id = ids.MintNew(StableHash.Of(seed, "new:" + category, d, i), d);
                if (seen.Add(id))
                    arrivals.Add(id);
            }
        }
        return arrivals;
    }

    /// <summary>Puts the arrivals in the first own slots, shifts the day-0 own ids down past them, and redoes the repeats.</summary>
    private static void MoveOn(List<long[]> pages, List<(int Page, int Slot)> own, List<long> arrivals)
    {
        if (arrivals.Count == 0)
            return;
        var queue = new List<long>(own.Count);
        queue.AddRange(arrivals);
        foreach (var (page, slot) in own)
        {
            if (queue.Count == own.Count)
                break;
            queue.Add(pages[page][slot]);
        }
        for (var i = 0; i < own.Count; i++)
            pages[own[i].Page][own[i].Slot] = queue[i];
        for (var page = 1; page < pages.Count; page++)
            pages[page][0] = pages[page - 1][^1];
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
