using System.Globalization;
using System.Text.RegularExpressions;
using FunctionsCrawler.Sandbox;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// The live terminal view as a person sees it: the WebJobs host run as ./run.sh runs it (stdin /dev/null, stdout
/// the terminal) in a tmux pane of a fixed size, on a Sandbox that pushes back so warnings arrive mid-crawl. The
/// screen is read every 200 ms while the crawl runs, and the whole history at the end.
/// </summary>
public sealed partial class TerminalViewTests(AzuriteFixture azurites) : IClassFixture<AzuriteFixture>
{
    [TmuxFact]
    public async Task On_a_160x40_terminal_the_panel_is_drawn_once_with_the_warnings_whole_above_it()
    {
        var (screens, history, exit) = await CrawlInPaneAsync(160, 40);

        Assert.True(exit == 0, $"exit {exit}:\n{Show(history)}");
        var withPanel = screens.Where(s => s.Lines.Any(IsPanelTop)).ToList();
        Assert.NotEmpty(withPanel);
        foreach (var (at, lines) in withPanel)
        {
            var why = $"screen at {at:HH:mm:ss.fff}:\n{Show(lines)}";
            // One panel, whole: one top, one bottom, each row once and boxed, nothing of it elsewhere on the screen.
            var top = Array.FindIndex(lines, IsPanelTop);
            var bottom = Array.FindIndex(lines, l => l.StartsWith('└'));
            Assert.True(lines.Count(IsPanelTop) == 1 && lines.Count(l => l.StartsWith('└')) == 1 && bottom > top, why);
            Assert.All(lines[(top + 1)..bottom], row => Assert.True(row.StartsWith('│') && row.EndsWith('│') && row.Length == 160, why));
            foreach (var label in new[] { "State", "Playlists", "ETA" })
                Assert.True(lines.Count(l => l.StartsWith($"│ {label} ")) == 1, why);
            Assert.DoesNotContain(lines[..top].Concat(lines[(bottom + 1)..]), l => l.IndexOfAny(BoxCharacters) >= 0);
            // Log lines above the panel, never inside or under it, each whole.
            Assert.DoesNotContain(lines[top..], l => l.Contains(" warn: "));
            Assert.All(lines[..top].Where(l => l.Contains(" warn: ")), l => Assert.Matches(WarningLine(), l));
        }
        Assert.Contains(withPanel, s => s.Lines.Any(l => l.Contains("Site pushed back on")));

        // While paused, the ETA is at least the pause still to run.
        var paused = withPanel.Select(s => (s.At, State: s.Lines.First(l => l.StartsWith("│ State ")), Eta: s.Lines.First(l => l.StartsWith("│ ETA "))))
            .Where(s => s.State.Contains("paused until")).ToList();
        Assert.NotEmpty(paused);
        foreach (var (at, state, eta) in paused)
        {
            var until = DateTime.Today + TimeSpan.Parse(PausedUntil().Match(state).Groups[1].Value, CultureInfo.InvariantCulture);
            if (EtaValue().Match(eta) is not { Success: true } shown) continue; // no rate yet: "—"
            var etaSeconds = int.Parse(shown.Groups[1].Value) * 60 + int.Parse(shown.Groups[2].Value);
            Assert.True(etaSeconds >= (until - at).TotalSeconds - 1, $"ETA {etaSeconds} s at {at:HH:mm:ss}, paused until {until:HH:mm:ss}:\n{state}\n{eta}");
        }

        // The whole run: the panel once (no torn copies scrolled into the history), every warning above it, then the summary.
        var top0 = Array.FindIndex(history, IsPanelTop);
        Assert.True(history.Count(IsPanelTop) == 1, Show(history));
        Assert.DoesNotContain(history[top0..], l => l.Contains(" warn: "));
        Assert.Contains(history[top0..], l => CompletedRow().IsMatch(l));
        Assert.Contains(history[top0..], l => l.StartsWith("Exported ") && l.Contains(" rows and "));
    }

    [TmuxFact]
    public async Task On_a_60x15_terminal_status_lines_and_warnings_print_one_after_another()
    {
        var (screens, history, exit) = await CrawlInPaneAsync(60, 15);

        Assert.True(exit == 0, $"exit {exit}:\n{Show(history)}");
        Assert.DoesNotContain(history, l => l.IndexOfAny(BoxCharacters) >= 0); // no panel: no room for it
        Assert.Contains(history, l => l.StartsWith("[running] ") || l.StartsWith("[paused] "));
        Assert.All(history.Where(l => l.StartsWith('[')), l => Assert.Matches(StatusLine(), l));
        Assert.Contains(history, l => l.StartsWith("[completed] ") && l.Contains("ETA done"));
        var warnings = history.Where(l => l.Contains(" warn: ")).ToList();
        Assert.Contains(warnings, l => l.Contains("Site pushed back on"));
        Assert.All(warnings, l => Assert.Matches(WarningLine(), l));
        Assert.Contains(history, l => l.StartsWith("Exported ") && l.Contains(" rows and "));
    }

    private static readonly char[] BoxCharacters = ['┌', '┐', '└', '┘', '│'];

    private static bool IsPanelTop(string line) => line.StartsWith("┌─Crawl ");

    private async Task<(List<(DateTime At, string[] Lines)> Screens, string[] History, int? Exit)> CrawlInPaneAsync(int width, int height)
    {
        var azurite = azurites.NewAccount();
        // One list page; the site answers 503 for a second after 15 requests (and again later), so the crawl pauses
        // and logs a warning per blocked request while the view is live.
        await using var site = await SandboxSite.StartAsync(new SandboxOptions
        {
            Seed = 11, PagesPerCategory = 1, BlockAfterRequests = 15, BlockForSeconds = 1, BlockShape = "503",
        });
        var output = Directory.CreateTempSubdirectory("crawl-terminal-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["NetEase:BaseUrl"] = site.BaseUrl.ToString(),
            ["NetEase:ListSource"] = "page", // HTML list pages and a detail request per playlist: what this test is about
            ["NetEase:RequestsPerSecond"] = "40",
            ["NetEase:BlockPauseSeconds"] = "3",
            ["Crawler:Categories"] = "说唱",
            ["Crawler:MaxPages"] = "1",
            ["Crawler:Tracks"] = "false", // hundreds a playlist, not what this is about: EndToEnd, DailyRefresh, HostileSite check them
            ["Run:Crawl"] = "true",
            ["Run:Once"] = "true",
            ["Run:Out"] = output,
            ["Run:LineSeconds"] = "1",
            ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
        };
        var command = string.Join(' ', new[] { "dotnet", Repo.WebJobsHostDll, "--settings-dir", Repo.Root }
            .Concat(settings.Select(s => $"--{s.Key}={s.Value}")).Select(TmuxPane.Quote)) + " </dev/null"; // as run.sh starts it

        await using var pane = await TmuxPane.StartAsync(width, height, $"cd {TmuxPane.Quote(Repo.Root)} && {command}");
        var screens = new List<(DateTime, string[])>();
        var until = DateTime.UtcNow.AddMinutes(3);
        int? exit;
        while ((exit = await pane.ExitStatusAsync()) is null && DateTime.UtcNow < until)
        {
            var at = DateTime.Now;
            screens.Add((at, await pane.ScreenAsync()));
            await Task.Delay(200);
        }
        var history = await pane.HistoryAsync();
        Directory.Delete(output, recursive: true);
        return (screens, history, exit);
    }

    private static string Show(IEnumerable<string> lines) => string.Join('\n', lines);

    [GeneratedRegex(@"^\d\d:\d\d:\d\d warn: [\w.]+\[\d+\] [^│┌┐└┘]+$")]
    private static partial Regex WarningLine();

    [GeneratedRegex(@"^\[(running|paused|completed)\] \d+m\d\ds elapsed · pages \d+/\d+ · playlists \d+/\d+ done, \d+ skipped, \d+ failed \(\d+ from the lists, \d+ in detail, \d+ new, \d+ gone(, \d+ repeats)?\) · covers \d+ \(.+\) · [\d.]+/min · ETA (—|done|\d+m\d\ds|\d+h\d\dm\d\ds) · projected .+$")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"paused until (\d\d:\d\d:\d\d)")]
    private static partial Regex PausedUntil();

    [GeneratedRegex(@"^│ ETA\s+(\d+)m(\d\d)s\s+│$")]
    private static partial Regex EtaValue();

    [GeneratedRegex(@"^│ State\s+completed\s+│$")]
    private static partial Regex CompletedRow();
}
