using FunctionsCrawler.Logging;
using FunctionsCrawler.Progress;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>
/// Live terminal progress: a redrawn panel on a terminal with room for it, log lines printed above it; one status
/// line every few seconds otherwise (a small terminal, CI logs, redirects).
/// </summary>
public sealed class ProgressView(IOptions<RunOptions> run, TerminalLog log)
{
    /// <summary>How long one status read may take before the view counts it failed and shows the last figures.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Whether stdout is a terminal that can show the live panel.</summary>
    public static bool IsTerminal => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb");

    /// <summary>The smallest terminal the panel is drawn on: its rows, its bars, and room above it for log lines.</summary>
    public const int PanelMinWidth = 70, PanelMinHeight = 20;

    // Twice a second until the first playlist is done (what a user waits to see), then once a second: each read is a
    // registry point read and a status-entity query, and at 20 req/s twice a second was 0.25 storage transactions per playlist.
    private static readonly TimeSpan FirstRefresh = TimeSpan.FromMilliseconds(500), Refresh = TimeSpan.FromSeconds(1);

    private static TimeSpan RefreshAfter(CrawlStatus? status) => (status?.Playlists.Done ?? 0) > 0 ? Refresh : FirstRefresh;

    /// <summary>Whether the terminal has room for the panel now; a smaller one gets the status lines.</summary>
    public static bool PanelFits => IsTerminal && Size is var (width, height) && width >= PanelMinWidth && height >= PanelMinHeight;

    private static (int Width, int Height) Size
    {
        get
        {
            try { return (Console.WindowWidth, Console.WindowHeight); }
            catch (IOException) { return (0, 0); }
        }
    }

    public async Task<CrawlStatus> FollowAsync(Func<CancellationToken, Task<CrawlStatus>> readOnce, Func<CrawlStatus, bool> isFinal, CancellationToken ct)
    {
        // A status read can fail now and then (storage busy, state blob being replaced): show the last
        // figures and try again; give up only after many failures in a row.
        CrawlStatus? lastGood = null;
        var failures = 0;
        async Task<CrawlStatus> read(CancellationToken token)
        {
            while (true)
            {
                try
                {
                    // A read that never answers counts as a failed one: the view keeps drawing and the run can end.
                    lastGood = await readOnce(token).WaitAsync(ReadTimeout, token);
                    failures = 0;
                    return lastGood;
                }
                catch (Exception) when (!token.IsCancellationRequested && ++failures < 30)
                {
                    if (lastGood is not null) return lastGood;
                    await Task.Delay(TimeSpan.FromMilliseconds(500), token);
                }
            }
        }

        if (PanelFits)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                // run.sh starts the host as a background job (stdin is /dev/null), so say it is interactive: stdout is the terminal.
                Interactive = InteractionSupport.Yes,
                Out = new TerminalOutput(Console.Out),
            });
            CrawlStatus? last = null;
            using (log.WriteAbove(console))
            {
                await console.Live(new Text("Waiting for the first status…")).AutoClear(false)
                    .Overflow(VerticalOverflow.Ellipsis).Cropping(VerticalOverflowCropping.Bottom) // a terminal made smaller keeps the panel's top
                    .StartAsync(async live =>
                    {
                        while (true)
                        {
                            last = await read(ct);
                            live.UpdateTarget(Render(last, Size.Height));
                            if (isFinal(last)) return;
                            await Task.Delay(RefreshAfter(last), ct);
                        }
                    });
            }
            return last!;
        }

        var lineEvery = TimeSpan.FromSeconds(Math.Max(1, run.Value.LineSeconds));
        var lastLine = DateTimeOffset.MinValue;
        while (true)
        {
            var status = await read(ct);
            var final = isFinal(status);
            if (final || DateTimeOffset.UtcNow - lastLine >= lineEvery)
            {
                Console.WriteLine(Line(status));
                lastLine = DateTimeOffset.UtcNow;
            }
            if (final) return status;
            await Task.Delay(RefreshAfter(status), ct);
        }
    }

    public static string Line(CrawlStatus s) =>
        $"[{SafeText.Of(s.State)}] {Duration(s.ElapsedSeconds)} elapsed · pages {s.Pages.Done}/{s.Pages.Total} · playlists {s.Playlists.Done}/{s.Playlists.Discovered} done, "
        + $"{s.Playlists.Skipped} skipped, {s.Playlists.Failed} failed ({Sources(s.Playlists)}) · covers {s.Covers.Stored} ({Bytes(s.Covers.Bytes)}) · {s.RatePerMinute:0.#}/min · ETA {Eta(s)} · projected {Bytes(s.ProjectedBytes)}"
        + (s.PausedUntil is { } until ? $" · paused until {until.ToLocalTime():HH:mm:ss}: {SafeText.Of(s.PauseReason)}" : "");

    /// <summary>Where the done rows came from, what is new, gone and repeated: what a daily refresh is about.</summary>
    private static string Sources(PlaylistFigures p) =>
        $"{p.Refreshed} from the lists, {p.Detailed} in detail, {p.New} new, {p.Gone} gone" + (p.Repeats > 0 ? $", {p.Repeats} repeats" : "");

    private static Panel Render(CrawlStatus s, int terminalHeight)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("State", Shown(s.State) + (s.PausedUntil is { } until ? $" until {until.ToLocalTime():HH:mm:ss} ({Shown(s.PauseReason)})" : ""));
        grid.AddRow("Elapsed", Duration(s.ElapsedSeconds));
        grid.AddRow("Pages", $"{s.Pages.Done} / {s.Pages.Total}  {Bar(s.Pages.Done, s.Pages.Total)}");
        grid.AddRow("Playlists", $"{s.Playlists.Done + s.Playlists.Skipped + s.Playlists.Failed} / {s.Playlists.Discovered}  {Bar(s.Playlists.Done + s.Playlists.Skipped + s.Playlists.Failed, s.Playlists.Discovered)}");
        grid.AddRow("", $"{s.Playlists.Done} done · {s.Playlists.Skipped} skipped · {s.Playlists.Failed} failed");
        grid.AddRow("", Sources(s.Playlists));
        if (s.ByCategory.Count > 1)
        {
            // As many as leave the panel on the screen (its other rows, borders and a few log lines above it).
            var room = Math.Max(1, terminalHeight - 20);
            var shown = s.ByCategory.Count <= room ? s.ByCategory.Count : room - 1;
            foreach (var c in s.ByCategory.Take(shown))
                grid.AddRow("", $"{Shown(c.Category)}: pages {c.PagesDone}/{(c.PagesTotal is { } total ? total : "?")} · {c.Done + c.Skipped + c.Failed}/{c.Discovered} playlists");
            if (shown < s.ByCategory.Count) grid.AddRow("", $"… {s.ByCategory.Count - shown} more categories (GET /api/status)");
        }
        grid.AddRow("Covers", $"{s.Covers.Stored} stored · {s.Covers.Missing} missing · {Bytes(s.Covers.Bytes)}");
        grid.AddRow("Rate", $"{s.RatePerMinute:0.#} playlists/min");
        grid.AddRow("ETA", Eta(s));
        grid.AddRow("Projected storage", Bytes(s.ProjectedBytes));
        if (s.LastError is { } error) grid.AddRow("Last error", Shown(error));
        foreach (var recent in s.RecentErrors.TakeLast(3).Where(e => e.Message != s.LastError))
            grid.AddRow("", $"{recent.At:HH:mm:ss} {Shown(recent.Message)}");
        return new Panel(grid).Header($"Crawl {Shown(s.CrawlId)} · {Shown(string.Join(", ", s.Categories))}").Expand();
    }

    /// <summary>Crawled text (a category, an error quoting a page) as markup: control characters stripped, brackets escaped.</summary>
    private static string Shown(string? text) => Markup.Escape(SafeText.Of(text));

    private static string Bar(int done, int total)
    {
        const int width = 30;
        var filled = total <= 0 ? 0 : (int)Math.Round(width * Math.Min(1.0, (double)done / total));
        return "[green]" + new string('█', filled) + "[/][grey]" + new string('░', width - filled) + "[/]";
    }

    private static string Eta(CrawlStatus s) => s.State == "completed" ? "done" : s.EtaSeconds is { } eta ? Duration(eta) : "—";

    public static string Duration(long seconds) =>
        seconds >= 3600 ? $"{seconds / 3600}h{seconds % 3600 / 60:00}m{seconds % 60:00}s" : $"{seconds / 60}m{seconds % 60:00}s";

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "—",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.0} MiB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.00} GiB",
    };

    /// <summary>Stdout, with the terminal's size read from the terminal itself (stdout may be swapped while the panel is live).</summary>
    private sealed class TerminalOutput(TextWriter writer) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;
        public bool IsTerminal => true;
        public int Width => Size.Width is > 0 and var width ? width : 80;
        public int Height => Size.Height is > 0 and var height ? height : 24;
        public void SetEncoding(System.Text.Encoding encoding) { }
    }
}
