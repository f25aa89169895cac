using System.Net.Sockets;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Export;
using FunctionsCrawler.Logging;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>
/// The <c>./run.sh</c> session: checks settings, storage and the site, starts or resumes a crawl,
/// shows its progress, exports it when it completes, and (with --once) exits.
/// </summary>
public sealed class CrawlRun(
    IOptions<RunOptions> run, IOptions<CrawlerOptions> crawler, IOptions<NetEaseOptions> site, CrawlTable crawls,
    NetEaseClient client, StartCrawl startCrawl, ResumeCrawl resumeCrawl, CrawlQueries queries, CrawlExport export, ProgressView view,
    IHostApplicationLifetime lifetime, ILogger<CrawlRun> log) : BackgroundService
{
    public const int ExitSiteUnreachable = 3, ExitCrawlFailed = 5, ExitInterrupted = 130;

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

    private async Task<int> RunAsync(CancellationToken ct)
    {
        // Settings and storage were checked by StorageSetup before this service started.
        var categories = crawler.Value.CategoryList;
        var crawl = await ResumableCrawlAsync(categories, ct);
        _crawlId = crawl?.CrawlId;
        if (crawl is null)
        {
            if (!await SiteReachableAsync(categories[0], ct)) return ExitSiteUnreachable;
            crawl = await startCrawl.RunAsync(categories, crawler.Value.MaxPages, "cli", ct);
            _crawlId = crawl.CrawlId;
            Console.WriteLine(SafeText.Of($"Started crawl {crawl.CrawlId}: {string.Join(", ", crawl.Categories)} from {site.Value.BaseUrl}"));
        }
        else
        {
            Console.WriteLine(SafeText.Of($"Resuming crawl {crawl.CrawlId} ({string.Join(", ", crawl.Categories)}); use --new to start afresh."));
            if (run.Value.RequeueFailed)
                Console.WriteLine($"Requeued {await queries.RequeueFailedAsync(crawl.CrawlId, ct)} failed messages.");
            // Messages the stopped process held stay invisible for minutes: send unfinished work again now.
            var (pages, playlists) = await resumeCrawl.RunAsync(crawl, ct);
            Console.WriteLine($"Sent {pages} pages and {playlists} playlists again.");
        }
        Console.WriteLine("Status: http://127.0.0.1:7071/api/status");

        // A stalled crawl is resumed by the ResumeStalledCrawls timer (Crawler__ResumeSchedule).
        var status = await view.FollowAsync(ct2 => queries.StatusAsync(crawl, ct2), s => s.State is "completed" or "failed", ct);
        if (status.State == "failed") return Fail(ExitCrawlFailed, $"Crawl {crawl.CrawlId} failed: {status.LastError}");

        var summary = await export.WriteAsync(crawl, run.Value.Out, ct);
        Console.WriteLine($"Exported {summary.Rows} rows and {summary.Covers} covers ({summary.CoverBytes:N0} bytes) to {summary.Directory}");
        if (status.Playlists.Failed > 0 || status.Pages.Done < status.Pages.Total)
            Console.WriteLine($"Note: {status.Playlists.Failed} playlists failed; POST /api/crawls/{crawl.CrawlId}/requeue-failed retries them.");
        return 0;
    }

    /// <summary>The latest crawl, if it is unfinished, was for the same categories, and --new was not given.</summary>
    private async Task<CrawlInfo?> ResumableCrawlAsync(IReadOnlyList<string> categories, CancellationToken ct)
    {
        if (run.Value.New || await crawls.LatestAsync(ct) is not { } latest) return null;
        if (!latest.Categories.Order(StringComparer.Ordinal).SequenceEqual(categories.Order(StringComparer.Ordinal))) return null;
        var status = await queries.StatusAsync(latest, ct);
        if (run.Value.RequeueFailed) return latest; // its failed work goes back in, so it is unfinished again
        return status.State is "completed" or "failed" ? null : latest;
    }

    private async Task<bool> SiteReachableAsync(string category, CancellationToken ct)
    {
        var url = NetEaseUrls.ListPage(client.BaseUri, category, 0);
        try
        {
            await client.GetTextAsync(url, ct);
            return true;
        }
        catch (SiteFetchException e) when (!ct.IsCancellationRequested)
        {
            Fail(ExitSiteUnreachable, $"Cannot reach {client.BaseUri} (setting NetEase__BaseUrl): {e.Message} — to try the crawler offline, run ./run.sh --sandbox");
            return false;
        }
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine(SafeText.Of(message)); // it may quote the site's or the crawl's own text
        return code;
    }
}
