namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>
/// Mints playlist ids and recognises them again without any stored state, so a restarted
/// Sandbox still answers detail pages for ids a crawler saw before the restart.
/// An id is body × 1000 + tail, where the tail is a seeded check that also encodes the origin;
/// a number whose tail does not check out is an unknown id (about 996 in 1000 random numbers).
/// </summary>
internal sealed class PlaylistIds(int seed)
{
    private const int OriginCount = 4;

    /// <summary>A playlist id of a realistic size, from a hash: small ones, ones below 2^31, and 10- and 13-digit ones.</summary>
    public long Mint(ulong hash, PlaylistOrigin origin)
    {
        var size = hash % 100;
        var rest = hash / 100;
        long body = size switch
        {
            < 4 => 1_000 + (long)(rest % 99_000),                          // ids 1e6..1e8: the site's early playlists
            < 40 => 100_000 + (long)(rest % 2_047_000),                    // 9–10 digits below 2^31
            < 60 => 2_147_484 + (long)(rest % 7_852_516),                  // 10 digits above 2^31
            _ => 2_000_000_000 + (long)(rest % 7_000_000_000),             // 13 digits, like today's new ids
        };
        return body * 1000 + Tail(body, origin);
    }

    public bool TryRead(long id, out PlaylistOrigin origin)
    {
        origin = PlaylistOrigin.Ordinary;
        if (id < 1_000_000)
            return false;
        var body = id / 1000;
        var offset = (int)((id % 1000 - Check(body) + 1000) % 1000);
        if (offset >= OriginCount)
            return false;
        origin = (PlaylistOrigin)offset;
        return true;
    }

    private int Tail(long body, PlaylistOrigin origin) => (Check(body) + (int)origin) % 1000;

    private int Check(long body) => (int)(StableHash.Of(seed, "id-check", body) % 1000);
}
