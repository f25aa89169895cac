namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>
/// Mints playlist ids and recognises them again without any stored state, so a restarted
/// Sandbox still answers detail pages for ids a crawler saw before the restart.
/// An id is body × 1000 + tail, where the tail is a seeded check that also encodes the origin;
/// a number whose tail does not check out is an unknown id (about 996 in 1000 random numbers).
/// Playlists that appear on a later day (the Day option) get the newest ids, above every day-0 id, in a
/// range per day, so the id alone says the day it was first listed.
/// </summary>
internal sealed class PlaylistIds(int seed)
{
    private const int OriginCount = 4;
    private const long NewBodies = 9_000_000_000;        // above every day-0 body (the largest is 8,999,999,999)
    private const long NewBodiesPerDay = 200_000;

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

    /// <summary>An ordinary playlist first listed on <paramref name="day"/> (1..MaxDay): 13 digits, above every earlier day's.</summary>
    public long MintNew(ulong hash, int day)
    {
        var body = NewBodies + (day - 1) * NewBodiesPerDay + (long)(hash % NewBodiesPerDay);
        return body * 1000 + Tail(body, PlaylistOrigin.Ordinary);
    }

    public bool TryRead(long id, out PlaylistOrigin origin) => TryRead(id, out origin, out _);

    /// <param name="firstDay">The day the playlist was first listed: 0 for the day-0 catalogue's.</param>
    public bool TryRead(long id, out PlaylistOrigin origin, out int firstDay)
    {
        origin = PlaylistOrigin.Ordinary;
        firstDay = 0;
        if (id < 1_000_000)
            return false;
        var body = id / 1000;
        var offset = (int)((id % 1000 - Check(body) + 1000) % 1000);
        if (offset >= OriginCount)
            return false;
        origin = (PlaylistOrigin)offset;
        if (body < NewBodies)
            return true;
        firstDay = (int)((body - NewBodies) / NewBodiesPerDay) + 1;
        return origin == PlaylistOrigin.Ordinary && firstDay <= DailyChange.MaxDay;
    }

    private int Tail(long body, PlaylistOrigin origin) => (Check(body) + (int)origin) % 1000;

    private int Check(long body) => (int)(StableHash.Of(seed, "id-check", body) % 1000);
}
