using System.Collections.Concurrent;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// The outcome of a playlist's cover: the stored cover, or why there is none; <see cref="Blocked"/> when the image host
/// pushed back (the playlist is then tried again after the pause, not recorded without its cover).
/// </summary>
public sealed record CoverResult(StoredCover? Cover, string? Problem, bool Downloaded)
{
    public string? Blocked { get; init; }
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>The download was never sent: the crawl was paused at its turn.</summary>
    public bool Held { get; init; }
}

/// <summary>
/// A playlist's cover: kept when the stored one came from the same source, else downloaded by the site client and stored
/// when it is an image within the pixel budget (<see cref="CoverPixels"/>, read from its header). A cover whose source
/// moved replaces the old one only when the new one is valid (else the old one stays). The client decides what may be fetched (allowed hosts, redirects, sizes); the store only stores.
/// </summary>
public sealed class FetchCover(NetEaseClient site, CoverStore covers, ILogger<FetchCover> log)
{
    /// <summary>
    /// Per crawl and category: covers looked up before fetching, and how many of those were stored already. A category
    /// crawled for the first time has none stored, so after <see cref="LookupsBeforeTrusting"/> lookups that found
    /// nothing its covers are written conditionally instead of looked up (one storage transaction a playlist fewer:
    /// bench, 5.14 → about 4.2 a playlist); a cover found stored after all is then looked at as after a lookup.
    /// </summary>
    private readonly ConcurrentDictionary<(string CrawlId, string Category), (int Lookups, int Found)> _lookups = new();

    private const int LookupsBeforeTrusting = 8;

    public async Task<CoverResult> RunAsync(PlaylistWork work, long playlistId, string? coverUrl, CancellationToken ct)
    {
        var key = (work.CrawlId, work.Category);
        var (lookups, found) = _lookups.GetValueOrDefault(key);
        var lookUp = found > 0 || lookups < LookupsBeforeTrusting;
        var existing = lookUp ? await covers.StatAsync(playlistId, ct) : null;
        if (lookUp) _lookups.AddOrUpdate(key, _ => (1, existing is null ? 0 : 1), (_, c) => (c.Lookups + 1, c.Found + (existing is null ? 0 : 1)));
        return await StoreAsync(playlistId, coverUrl, existing, conditional: !lookUp, ct);
    }

    private async Task<CoverResult> StoreAsync(long playlistId, string? coverUrl, StoredCoverInfo? existing, bool conditional, CancellationToken ct)
    {
        var (url, problem) = site.CoverUrl(coverUrl);
        if (existing is { } kept)
        {
            if (url is null)
            {
                log.LogWarning("Playlist {PlaylistId}: {Problem}; keeping the stored cover", playlistId, problem);
                return new CoverResult(kept.Cover, null, false);
            }
            if (CoverStore.SameSource(kept.Source, url)) return new CoverResult(kept.Cover, null, false);
        }
        if (url is null) return new CoverResult(null, problem, false);

        CoverDownload download;
        try
        {
            download = await site.GetCoverAsync(url, ct);
        }
        catch (SiteFetchException e) when (existing is not null && !ct.IsCancellationRequested)
        {
            // Without a stored cover the queue retries the playlist; with one, the row keeps it and the next crawl tries again.
            download = new CoverDownload(null, null, e.Message);
        }
        // A block pauses the crawl and the playlist is tried again after it, whether or not an older cover is stored.
        if (download.Blocked is { } blocked) return new CoverResult(existing?.Cover, null, true) { Blocked = blocked, RetryAfter = download.RetryAfter, Held = download.Held };
        var (bytes, contentType) = (download.Bytes, download.ContentType);
        var refused = bytes is null ? download.Problem
            : !CoverStore.IsImage(bytes, contentType) ? $"cover is not an image (content type '{contentType}', {bytes.Length} bytes)"
            : CoverPixels.Refusal(bytes); // a small file that decodes to a huge bitmap is not kept: every thumbnail would decode it
        if (refused is not null || bytes is null)
        {
            if (existing is null) return new CoverResult(null, refused, true);
            log.LogWarning("Playlist {PlaylistId}: the cover moved from {OldSource} to {NewSource}, but the new one was not stored ({Problem}); keeping the stored cover",
                playlistId, existing.Source, CoverStore.Source(url), refused);
            return new CoverResult(existing.Cover, null, true);
        }
        var stored = await covers.PersistAsync(playlistId, bytes, url, ct, onlyIfAbsent: conditional);
        if (stored is null)
        {
            // Stored after all (the id was crawled under another category): the same image stays, a moved one replaces it.
            existing = await covers.StatAsync(playlistId, ct);
            if (existing is not null && CoverStore.SameSource(existing.Source, url)) return new CoverResult(existing.Cover, null, true);
            stored = (await covers.PersistAsync(playlistId, bytes, url, ct))!;
        }
        if (existing is not null)
            log.LogInformation("Playlist {PlaylistId}: cover replaced, its source moved from {OldSource} to {NewSource}", playlistId, existing.Source, CoverStore.Source(url));
        return new CoverResult(stored, null, true);
    }
}
