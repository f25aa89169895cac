namespace FunctionsCrawler.NetEase;

/// <summary>What a playlist's track list is worth beside the count the playlist gives (<see cref="TrackListCheck.Judge"/>).</summary>
public enum TrackListVerdict
{
    /// <summary>The list holds as many tracks as the playlist says.</summary>
    Complete,
    /// <summary>The two differ by a track or two: the count and the list change at different moments on the site. Keep the list.</summary>
    SiteLag,
    /// <summary>
    /// One track or none for a playlist that says it holds many: the shape of an answer to an address the site distrusts.
    /// Not the playlist's list: the crawl must pause, not store it.
    /// </summary>
    Suspect,
    /// <summary>They differ by more than the site's lag, not in the distrusted shape (a cut or garbled answer): keep the list, flagged.</summary>
    Mismatch,
}

/// <summary>The verdict on one track list and the reason for it, in one line.</summary>
public readonly record struct TrackListJudgement(TrackListVerdict Verdict, string Reason);

/// <summary>
/// The one-song rule: whether a track list can be trusted as the playlist's, from how many tracks the playlist says it
/// holds (<c>trackCount</c>) and how many the list gives. Pure: the pipeline decides what each verdict does.
/// </summary>
public static class TrackListCheck
{
    /// <summary>How far the list may be from the count and still be the playlist's: the site updates them apart, a track or two at a time.</summary>
    public const int MaxSiteLag = 2;

    /// <summary>The most tracks an answer to a distrusted address lists (one has been reported; none is the same answer emptier).</summary>
    public const int MaxSuspectListed = 1;

    /// <summary>The least <c>trackCount</c> for which so short a list is the distrusted shape rather than a small playlist that changed.</summary>
    public const long MinSuspectTrackCount = 10;

    /// <summary>
    /// <see cref="TrackListVerdict.Complete"/> when <paramref name="listed"/> equals <paramref name="trackCount"/>;
    /// <see cref="TrackListVerdict.Suspect"/> when at most <see cref="MaxSuspectListed"/> are listed of at least
    /// <see cref="MinSuspectTrackCount"/>; <see cref="TrackListVerdict.SiteLag"/> when they differ by at most
    /// <see cref="MaxSiteLag"/>; else <see cref="TrackListVerdict.Mismatch"/> (a negative count included).
    /// </summary>
    public static TrackListJudgement Judge(long trackCount, int listed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(listed);
        if (trackCount < 0)
        {
            return new(TrackListVerdict.Mismatch, $"trackCount {trackCount} is negative; {listed} listed");
        }

        if (listed == trackCount)
        {
            return new(TrackListVerdict.Complete, $"{listed} listed of {trackCount}");
        }

        if (listed <= MaxSuspectListed && trackCount >= MinSuspectTrackCount)
        {
            return new(TrackListVerdict.Suspect,
                $"{listed} listed of {trackCount}: the answer the site gives an address it distrusts");
        }

        var gap = Math.Abs(trackCount - listed);
        return gap <= MaxSiteLag
            ? new(TrackListVerdict.SiteLag, $"{listed} listed of {trackCount}: the site's lag between count and list")
            : new(TrackListVerdict.Mismatch, $"{listed} listed of {trackCount}: {gap} apart, more than the site's lag of {MaxSiteLag}");
    }
}
