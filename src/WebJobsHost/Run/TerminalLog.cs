namespace FunctionsCrawler.WebJobsHost;

/// <summary>
/// The host's log lines on a terminal that shows the live progress panel. A line written under a
/// live panel breaks it (the next redraw starts too low and leaves torn copies above), so while
/// the panel is up the lines are held and the panel shows the latest few; otherwise they are written
/// as they come.
/// </summary>
public sealed class TerminalLog : ILoggerProvider
{
    public const int Shown = 5;
    private readonly Lock _gate = new();
    private readonly Queue<string> _held = new();
    private bool _holding;

    /// <summary>Log lines the panel should show, oldest first, and how many earlier ones it has no room for.</summary>
    public (IReadOnlyList<string> Lines, int Earlier) Latest
    {
        get { lock (_gate) return (_held.TakeLast(Shown).ToList(), Math.Max(0, _held.Count - Shown)); }
    }

    /// <summary>Holds lines until the returned handle is disposed (the panel is done).</summary>
    public IDisposable HoldWhileLive()
    {
        lock (_gate) _holding = true;
        return new Release(this);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private void Write(string line)
    {
        lock (_gate)
        {
            if (_holding) _held.Enqueue(line);
            else Console.Out.WriteLine(line);
        }
    }

    private sealed class Release(TerminalLog log) : IDisposable
    {
        public void Dispose()
        {
            lock (log._gate)
            {
                log._holding = false;
                // The panel showed first lines only: a bug's stack trace is written out now.
                foreach (var line in log._held.Where(l => l.Contains('\n'))) Console.Out.WriteLine(line);
                log._held.Clear();
            }
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
