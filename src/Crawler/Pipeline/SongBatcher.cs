using FunctionsCrawler.Configuration;
using FunctionsCrawler.Logging;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Pipeline;

/// <summary>What asking for some songs came to: stored (their answers, or kept as unknown), a pause to wait, or a failure to try again.</summary>
public sealed record SongsOutcome(TimeSpan? Defer = null, string? Failure = null)
{
    public static readonly SongsOutcome Stored = new();
}

/// <summary>
/// The process's song requests: the songs not yet known of every playlist fetched at the moment go into shared batches
/// of <c>NetEase__SongBatchSize</c>, so a request carries a full batch (a playlist adds a few dozen new songs; alone it
/// would send its own part-filled one). A batch leaves when it is full, or when its oldest song has waited about twenty
/// requests' time at the rate (at least 2 s): a playlist waits that long at most, outside its fetch slot, while the
/// others go on. A song asked for by two playlists is asked once. Each waiting playlist learns its batch's outcome.
/// </summary>
public sealed class SongBatcher(NetEaseClient site, TrackTable songs, Politeness politeness, IOptions<NetEaseOptions> options, TimeProvider time,
    ILogger<SongBatcher> log)
{
    private readonly Lock _gate = new();
    /// <summary>Songs asked for and not sent yet, in the order asked, with who asked (the crawl a pause is told to).</summary>
    private readonly Dictionary<long, (TaskCompletionSource<SongsOutcome> Done, string CrawlId, long AskedAt)> _waiting = [];
    /// <summary>Songs in a request now: a playlist asking for one waits for that request.</summary>
    private readonly Dictionary<long, TaskCompletionSource<SongsOutcome>> _sent = [];
    private Task? _sender;

    /// <summary>How long a batch that is not full waits for more songs.</summary>
    public TimeSpan MaxWait => TimeSpan.FromSeconds(Math.Max(2, 20 / options.Value.RequestsPerSecond));

    /// <summary>Asks for these songs (ids above 0 that are not known yet) and waits until they are stored or the batch failed or paused.</summary>
    public async Task<SongsOutcome> FetchAsync(string crawlId, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return SongsOutcome.Stored;
        var mine = new List<Task<SongsOutcome>>(ids.Count);
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_sent.TryGetValue(id, out var sent)) mine.Add(sent.Task);
                else if (_waiting.TryGetValue(id, out var waiting)) mine.Add(waiting.Done.Task);
                else
                {
                    var done = new TaskCompletionSource<SongsOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _waiting.Add(id, (done, crawlId, time.GetTimestamp()));
                    mine.Add(done.Task);
                }
            }
            _sender ??= Task.Run(SendAsync, CancellationToken.None);
        }
        var outcomes = await Task.WhenAll(mine).WaitAsync(ct);
        return outcomes.FirstOrDefault(o => o.Defer is not null) ?? outcomes.FirstOrDefault(o => o.Failure is not null) ?? SongsOutcome.Stored;
    }

    /// <summary>Sends batches while songs wait; ends when none is left (the next ask starts it again).</summary>
    private async Task SendAsync()
    {
        var size = site.SongBatchSize;
        while (true)
        {
            List<(long Id, TaskCompletionSource<SongsOutcome> Done, string CrawlId)> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _sender = null;
                    return;
                }
                var oldest = _waiting.Values.Min(w => w.AskedAt);
                if (_waiting.Count < size && time.GetElapsedTime(oldest) < MaxWait) batch = [];
                else
                {
                    batch = [.. _waiting.Take(size).Select(w => (w.Key, w.Value.Done, w.Value.CrawlId))];
                    foreach (var (id, done, _) in batch)
                    {
                        _waiting.Remove(id);
                        _sent[id] = done;
                    }
                }
            }
            if (batch.Count == 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time);
                continue;
            }
            var outcome = await SendBatchAsync(batch.Select(b => b.Id).ToList(), batch[0].CrawlId);
            lock (_gate)
            {
                foreach (var (id, _, _) in batch) _sent.Remove(id);
            }
            foreach (var (_, done, _) in batch) done.TrySetResult(outcome);
        }
    }

    private async Task<SongsOutcome> SendBatchAsync(List<long> ids, string crawlId)
    {
        try
        {
            if (await politeness.DeferByAsync(crawlId, CancellationToken.None) is { } wait) return new SongsOutcome(wait);
            var answer = await site.GetSongsAsync(ids, CancellationToken.None);
            switch (answer.Outcome)
            {
                case PageOutcome.Blocked:
                    return new SongsOutcome(await politeness.OnBlockedAsync(crawlId, $"{ids.Count} songs", answer.Reason, answer.RetryAfter, CancellationToken.None, answer.Held));
                case PageOutcome.Gone or PageOutcome.Malformed:
                    log.LogWarning("Song answer for {Count} songs (from {First}): {Reason}", ids.Count, ids[0], answer.Reason);
                    return new SongsOutcome(Failure: $"songs of its track list: {answer.Reason}");
            }
            var found = answer.Value!;
            foreach (var problem in found.Problems) log.LogWarning("Songs from {First}: {Problem}", ids[0], problem);
            if (found.Unknown.Count > 0)
                log.LogInformation("The site does not know {Count} of {Asked} songs asked (kept as unknown), e.g. {TrackId}", found.Unknown.Count, ids.Count, found.Unknown[0]);
            await songs.SaveAsync(found.Songs, found.Unknown, time.GetUtcNow(), CancellationToken.None);
            return SongsOutcome.Stored;
        }
        catch (Exception e)
        {
            // The site or storage failed after their retries: the playlists waiting for these songs are tried again later.
            var failure = ExpectedFailure.Of(e);
            if (failure.IsBug) log.LogError(e, "Songs from {First}: unexpected failure", ids[0]);
            return new SongsOutcome(Failure: $"songs of its track list: {failure.Reason}");
        }
    }
}
