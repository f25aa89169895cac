using FunctionsCrawler.Logging;
using FunctionsCrawler.Progress;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>
/// Live terminal progress: a redrawn panel on a terminal, one status line every few seconds otherwise
/// (CI logs, redirects).
/// </summary>
public sealed class ProgressView(IOptions<RunOptions> run, TerminalLog log)
{
    /// <summary>Whether stdout is a terminal that can show the live panel.</summary>
    public static bool IsTerminal => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb");

    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    public async Task<CrawlStatus> FollowAsync(Func<CancellationToken, Task<CrawlStatus>> readOnce, Func<CrawlStatus, bool> isFinal, CancellationToken ct)
    {
        // A status read can fail now and then (storage busy, state blob being replaced): show the last
        // figures and try again; give up only after many failures in a row.
        CrawlStatus? lastGood = null;
        var failures = 0;
        async Task<CrawlStatus> read(CancellationToken token)
        {
            try
            {
                lastGood = await readOnce(token);
                failures = 0;
                return lastGood;
            }
            catch (Exception) when (!token.IsCancellationRequested && lastGood is not null && ++failures < 30)
            {
                return lastGood;
            }
        }

        if (IsTerminal)
        {
            using var holding = log.HoldWhileLive();
            // run.sh starts the host as a background job (stdin is /dev/null), so say it is interactive: stdout is the terminal.
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Interactive = InteractionSupport.Yes });
            CrawlStatus? last = null;
            await console.Live(new Text("Waiting for the first status…")).AutoClear(false).StartAsync(async live =>
            {
                while (true)
                {
                    last = await read(ct);
                    live.UpdateTarget(WithLog(Render(last)));
                    if (isFinal(last)) return;
                    await Task.Delay(Refresh, ct);
                }
            });
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
            await Task.Delay(Refresh, ct);
        }
    }

    public static string Line(CrawlStatus s) =>
        $"[{SafeText.Of(s.State)}] {Duration(s.ElapsedSeconds)} elapsed · pages {s.Pages.Done}/{s.Pages.Total} · playlists {s.Playlists.Done}/{s.Playlists.Discovered} done, "
        + $"{s.Playlists.Skipped} skipped, {s.Playlists.Failed} failed · covers {s.Covers.Stored} ({Bytes(s.Covers.Bytes)}) · {s.RatePerMinute:0.#}/min · ETA {Eta(s)} · projected {Bytes(s.ProjectedBytes)}"
        + (s.PausedUntil is { } until ? $" · paused until {until:HH:mm:ss}: {SafeText.Of(s.PauseReason)}" : "");

    private static IRenderable Render(CrawlStatus s)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("State", Shown(s.State) + (s.PausedUntil is { } until ? $" until {until:HH:mm:ss} ({Shown(s.PauseReason)})" : ""));
        grid.AddRow("Elapsed", Duration(s.ElapsedSeconds));
        grid.AddRow("Pages", $"{s.Pages.Done} / {s.Pages.Total}  {Bar(s.Pages.Done, s.Pages.Total)}");
        grid.AddRow("Playlists", $"{s.Playlists.Done + s.Playlists.Skipped + s.Playlists.Failed} / {s.Playlists.Discovered}  {Bar(s.Playlists.Done + s.Playlists.Skipped + s.Playlists.Failed, s.Playlists.Discovered)}");
        grid.AddRow("", $"{s.Playlists.Done} done · {s.Playlists.Skipped} skipped · {s.Playlists.Failed} failed");
        if (s.ByCategory.Count > 1)
            foreach (var c in s.ByCategory)
                grid.AddRow("", $"{Shown(c.Category)}: pages {c.PagesDone}/{(c.PagesTotal is { } total ? total : "?")} · {c.Done + c.Skipped + c.Failed}/{c.Discovered} playlists");
        grid.AddRow("Covers", $"{s.Covers.Stored} stored · {s.Covers.Missing} missing · {Bytes(s.Covers.Bytes)}");
        grid.AddRow("Rate", $"{s.RatePerMinute:0.#} playlists/min");
        grid.AddRow("ETA", Eta(s));
        grid.AddRow("Projected storage", Bytes(s.ProjectedBytes));
        if (s.LastError is { } error) grid.AddRow("Last error", Shown(error));
        foreach (var recent in s.RecentErrors.TakeLast(3).Where(e => e.Message != s.LastError))
            grid.AddRow("", $"{recent.At:HH:mm:ss} {Shown(recent.Message)}");
        return new Panel(grid).Header($"Crawl {Shown(s.CrawlId)} · {Shown(string.Join(", ", s.Categories))}").Expand();
    }

    /// <summary>The panel with the latest log lines under it (they are held while the panel is live).</summary>
    private IRenderable WithLog(IRenderable panel)
    {
        var (lines, earlier) = log.Latest;
        if (lines.Count == 0) return panel;
        var rows = new List<IRenderable> { panel };
        if (earlier > 0) rows.Add(new Markup($"[grey]… {earlier} earlier log lines[/]"));
        rows.AddRange(lines.Select(line => new Markup(Markup.Escape(line.Split('\n')[0]))));
        return new Rows(rows);
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
}
