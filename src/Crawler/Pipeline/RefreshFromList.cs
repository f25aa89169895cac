using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>
/// Decides, for the playlists a list page shows, what is left to fetch. A JSON list item that carries every field becomes
/// the playlist's row at once when the dataset already holds the playlist with the same cover (the CDN host digit aside);
/// a detail request is left only for an item that lacks a field, and a cover fetch only for a playlist new to the
/// category's dataset or whose cover URL changed, and a track list fetch (with tracks on) for a playlist whose stored list
/// is older than the item's <c>trackUpdateTime</c> (or none is stored). HTML list items carry too little: each is fetched.
/// </summary>
public sealed class RefreshFromList(PlaylistTable playlists, IOptions<CrawlerOptions> options, TimeProvider time)
{
    public async Task<List<ListedItem>> RunAsync(PageWork work, ListPage page, string lists, CancellationToken ct)
    {
        var known = await playlists.LookupAsync(work.Category, page.Playlists.Select(p => p.Id).ToList(), ct);
        var now = time.GetUtcNow();
        var result = new List<ListedItem>(page.Playlists.Count);
        foreach (var listed in page.Playlists)
        {
            var before = known.GetValueOrDefault(listed.Id);
            if (lists != ListSources.Api)
            {
                result.Add(new ListedItem(listed.Id) { IsNew = before is null });
                continue;
            }
            // The stored track list stands while the list item says it has not changed since (trackUpdateTime).
            var tracksOn = options.Value.Tracks;
            var sameTracks = !tracksOn || (before?.Tracks is { UpdatedAt: { } updated } && listed.TracksUpdatedAt == updated);
            var sameCover = before is not null && SameCover(before.Detail.CoverUrl, listed.Detail?.CoverUrl ?? listed.CoverUrl);
            var draft = new PlaylistRecord
            {
                Category = work.Category,
                Detail = listed.Detail ?? new PlaylistDetail { Id = listed.Id, Name = listed.Title, CoverUrl = listed.CoverUrl },
                Cover = sameCover ? before!.Cover : null,
                CrawlId = work.CrawlId,
                CrawledAt = now,
                Tracks = tracksOn && sameTracks ? before?.Tracks : null,
            };
            var (fitted, cut) = TableText.Fit(draft.Detail);
            draft = draft with { Detail = fitted, TextCut = cut };
            result.Add(listed.Detail is not null && sameCover && sameTracks
                ? new ListedItem(listed.Id) { Row = draft, IsNew = false, NeedsDetail = false, NeedsCover = false }
                : new ListedItem(listed.Id)
                {
                    Draft = draft, IsNew = before is null, NeedsDetail = listed.Detail is null, NeedsCover = !sameCover, NeedsTracks = !sameTracks,
                });
        }
        return result;
    }

    /// <summary>The same image: the CDN serves one image from p1…p4, over http or https, so only the path counts there.</summary>
    public static bool SameCover(string? stored, string? listed)
    {
        if (string.IsNullOrWhiteSpace(stored) || string.IsNullOrWhiteSpace(listed)) return string.IsNullOrWhiteSpace(stored) && string.IsNullOrWhiteSpace(listed);
        if (!Uri.TryCreate(NetEaseUrls.FullSizeCover(listed), UriKind.Absolute, out var url)) return false;
        return CoverStore.SameSource(NetEaseUrls.FullSizeCover(stored), url);
    }
}
