using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>
/// The host's log lines on a terminal that shows the live progress panel. A line written straight to the terminal
/// under a live panel breaks it (the next redraw starts too low and leaves torn copies above), so while the panel is up
/// every line, and anything else written to stdout or stderr, goes through the panel's console, which prints it above
/// the panel and redraws the panel under it; otherwise lines are written as they come.
/// </summary>
public sealed class TerminalLog : ILoggerProvider
{
    private readonly Lock _gate = new();
    private IAnsiConsole? _live;

    /// <summary>Writes through <paramref name="console"/> (the live panel's) until the returned handle is disposed.</summary>
    public IDisposable WriteAbove(IAnsiConsole console)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        lock (_gate) _live = console;
        // Console.WriteLine from anywhere (a stopping service, a library) must not land inside the panel either.
        var (outLines, errorLines) = (new LineWriter(this), new LineWriter(this));
        Console.SetOut(outLines);
        Console.SetError(errorLines);
        return new Release(this, stdout, stderr, [outLines, errorLines]);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private void Write(string line)
    {
        lock (_gate)
        {
            if (_live is { } console) console.Write(new LogLine(line));
            else Console.Out.WriteLine(line);
        }
    }

    /// <summary>
    /// A log line as it is, with the line break after it: the terminal wraps a long one, so it stays one line to
    /// copy (a Text would be cut into several at word boundaries).
    /// </summary>
    private sealed class LogLine(string text) : IRenderable
    {
        public Measurement Measure(RenderOptions options, int maxWidth) => new(1, maxWidth);

        public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
        {
            // The live display has moved the cursor to the panel's first row, which it does not clear: clear from there
            // down (the panel is drawn again under the line), so no part of the old panel shows beside or under it.
            yield return Segment.Control("\r\u001b[0J");
            foreach (var line in text.Split('\n'))
            {
                yield return new Segment(line.TrimEnd('\r'));
                yield return Segment.LineBreak;
            }
        }
    }

    /// <summary>Stdout or stderr while the panel is live: each whole line goes through <see cref="Write"/>.</summary>
    private sealed class LineWriter(TerminalLog log) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (value != '\n') _line.Append(value);
            else FlushLine();
        }

        public void FlushLine()
        {
            if (_line.Length == 0) return;
            log.Write(_line.ToString().TrimEnd('\r'));
            _line.Clear();
        }
    }

    private sealed class Release(TerminalLog log, TextWriter stdout, TextWriter stderr, LineWriter[] writers) : IDisposable
    {
        public void Dispose()
        {
            lock (log._gate) log._live = null;
            Console.SetOut(stdout);
            Console.SetError(stderr);
            foreach (var writer in writers) writer.FlushLine(); // a line not ended yet is written as it is
        }
    }

    private sealed class Logger(TerminalLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = logLevel switch
            {
                LogLevel.Trace => "trce", LogLevel.Debug => "dbug", LogLevel.Information => "info",
                LogLevel.Warning => "warn", LogLevel.Error => "fail", _ => "crit",
            };
            // The same shape as the console logger's single line; a bug's stack trace follows on its own lines.
            var line = $"{DateTime.Now:HH:mm:ss} {level}: {category}[{eventId.Id}] {formatter(state, exception)}";
            log.Write(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}
