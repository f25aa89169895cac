using System.Net.Sockets;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Export;
using FunctionsCrawler.Hosting;
using FunctionsCrawler.Logging;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>
/// The <c>./run.sh</c> session: checks settings, storage and the site, starts or resumes a crawl,
/// shows its progress, exports it when it completes, and (with --once) exits.
/// </summary>
public sealed class CrawlRun(
    IOptions<RunOptions> run, IOptions<CrawlerOptions> crawler, IOptions<NetEaseOptions> site,
    StartupCheck check, ResolveCategories resolveCategories, StartCrawl startCrawl, ResumeCrawl resumeCrawl, CrawlQueries queries, CrawlExport export, ProgressView view,
    BatchingProgressSink progress, IServer server, IHostApplicationLifetime lifetime, ILogger<CrawlRun> log) : BackgroundService
{
    public const int ExitOverlap = 2, ExitSiteUnreachable = 3, ExitCrawlFailed = 5, ExitCrawlCancelled = 6, ExitInterrupted = 130;

    /// <summary>The crawl this run follows, once it is known: what a stop tells the user to resume.</summary>
    private string? _crawlId;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        try
        {
            Environment.ExitCode = await RunAsync(ct);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM (whatever the interrupted call threw): queued work survives the stop, and cancelled steps are delivered again.
            Environment.ExitCode = ExitInterrupted;
            Console.WriteLine(_crawlId is null ? "Stopped." : $"Stopped; run ./run.sh again to resume crawl {_crawlId}.");
            return;
        }
        catch (Exception e)
        {
            log.LogError(e, "The run stopped on an unexpected error");
            Console.Error.WriteLine($"error: {SafeText.Of(e.Message)}");
            Environment.ExitCode = 1;
        }
        if (run.Value.Once || Environment.ExitCode != 0) lifetime.StopApplication();
    }

    /// <summary>
    /// Where this host answers (its <c>--Urls</c>: 7071, or 7072… for run.sh's other hosts), as the web server bound it:
    /// it starts before the hosted services.
    /// </summary>
    private string StatusUrl =>
        $"{(server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? WebJobsHostSetup.DefaultUrl).TrimEnd('/')}/api/status";

    private async Task<int> RunAsync(CancellationToken ct)
    {
        // Settings and storage were checked by the StartupCheck before this service started.
        var resolved = await resolveCategories.RunAsync(crawler.Value.CategoryList, ct);
        if (resolved.Fallback is { } why)
            Console.WriteLine(SafeText.Of($"Note: the site's category menu could not be read ({why}); crawling the {resolved.Names.Count} known categories."));
        var categories = resolved.Names;
        CrawlInfo crawl;
        switch (await queries.ChooseRunAsync(categories, run.Value.New, run.Value.RequeueFailed, ct))
        {
            case RunChoice.Refuse refuse:
                return Fail(ExitOverlap, refuse.Message);
            case RunChoice.Resume resume:
                crawl = resume.Crawl;
                _crawlId = crawl.CrawlId;
                Console.WriteLine(SafeText.Of($"Resuming crawl {crawl.CrawlId} ({Names(crawl.Categories)}); use --new to cancel it and start afresh."));
                if (run.Value.RequeueFailed)
                    Console.WriteLine($"Requeued {await queries.RequeueFailedAsync(crawl.CrawlId, ct)} failed messages.");
                // Messages the stopped process held stay invisible for minutes: send unfinished work again now.
                var (pages, playlists) = await resumeCrawl.RunAsync(crawl, ct);
                Console.WriteLine($"Sent {pages} pages and {playlists} playlists again.");
                break;
            case RunChoice.Start start:
                if (resolved.Unreachable is { } unreachable) return Fail(ExitSiteUnreachable, check.SiteUnreachable(unreachable));
                if (await check.SiteProblemAsync(categories[0], ct) is { } problem) return Fail(ExitSiteUnreachable, problem);
                foreach (var old in start.Cancelling)
                    Console.WriteLine(SafeText.Of($"Cancelling crawl {old.Crawl.CrawlId} ({Names(old.Crawl.Categories)}, {old.Status.State}): --new replaces it."));
                try
                {
                    crawl = await startCrawl.RunAsync(categories, crawler.Value.MaxPages, "cli",
                        run.Value.New ? OverlapPolicy.CancelUnfinished : OverlapPolicy.Refuse, ct);
                }
                catch (CrawlOverlapException e)
                {
                    // Another start got there between the check and ours.
                    return Fail(ExitOverlap, e.Message);
                }
                _crawlId = crawl.CrawlId;
                Console.WriteLine(SafeText.Of($"Started crawl {crawl.CrawlId}: {Names(crawl.Categories)} from {site.Value.BaseUrl}"));
                break;
            default:
                throw new InvalidOperationException("unknown run choice");
        }
        Console.WriteLine($"Status: {StatusUrl}");

        // A stalled crawl is resumed by the ResumeStalledCrawls timer (Crawler__ResumeSchedule).
        // Read by id each time (a point read): another start may cancel this crawl while it runs.
        var status = await view.FollowAsync(
            async token => await queries.FindStatusAsync(crawl.CrawlId, token) ?? throw new InvalidOperationException($"crawl {crawl.CrawlId} is not in the registry"),
            s => CrawlStates.IsFinished(s.State), ct);
        // The item table ended the crawl; what this process signalled last (its last errors) reaches the status before it exits.
        await progress.FlushAsync(ct);
        if (status.State == CrawlStates.Failed) return Fail(ExitCrawlFailed, $"Crawl {crawl.CrawlId} failed: {status.LastError}");
        if (status.State == CrawlStates.Cancelled)
            return Fail(ExitCrawlCancelled, $"Crawl {crawl.CrawlId} was cancelled: a newer crawl replaced it (--new or \"new\": true).");

        var summary = await export.WriteAsync(crawl, run.Value.Out, ct);
        Console.WriteLine($"Exported {summary.Rows} rows and {summary.Covers} covers ({summary.CoverBytes:N0} bytes) to {summary.Directory}");
        Console.WriteLine($"History: {summary.HistoryRows} rows (every crawl's counters of these categories) in {string.Join(" and ", ExportSummary.HistoryFiles)}");
        Console.WriteLine($"Playlist tracks: {summary.PlaylistTrackRows} rows (each playlist's list, in order) in {string.Join(" and ", ExportSummary.PlaylistTrackFiles)}");
        Console.WriteLine($"Tracks: {summary.TrackRows} rows (each song those lists name, once) in {string.Join(" and ", ExportSummary.TrackFiles)}"
            + (summary.UnknownTracks > 0 ? $"; {summary.UnknownTracks} more the site did not know (their ids are in the lists)" : ""));
        if (summary.MissingCovers > 0)
            Console.WriteLine($"Note: {summary.MissingCovers} covers named by their rows are no longer in Blob storage; those rows keep their cover_blob, the files are not in covers/.");
        if (status.Playlists.Failed > 0 || status.Pages.Done < status.Pages.Total)
            Console.WriteLine($"Note: {status.Playlists.Failed} playlists failed; POST /api/crawls/{crawl.CrawlId}/requeue-failed retries them.");
        return 0;
    }

    private static string Names(IReadOnlyList<string> categories) =>
        categories.Count > 6 ? $"{categories.Count} categories: {string.Join(", ", categories.Take(6))}, …" : string.Join(", ", categories);

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine(SafeText.Of(message)); // it may quote the site's or the crawl's own text
        return code;
    }
}
