using System.Collections;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Logging;

/// <summary>
/// Wraps a host's logger provider (console, the Functions host channel, …) so that every entry it
/// writes is safe to read: crawled text stripped of control characters, storage secrets hidden, an
/// expected failure one warning line without its stack trace, and the cancellations and storage
/// errors of a shutdown left out.
/// </summary>
public sealed class SafeLoggerProvider(ILoggerProvider inner, HostStopping stopping) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new SafeLogger(inner.CreateLogger(categoryName), categoryName, stopping);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped) scoped.SetScopeProvider(scopeProvider);
    }

    public void Dispose() => inner.Dispose();
}

internal sealed class SafeLogger(ILogger inner, string category, HostStopping stopping) : ILogger
{
    // The Durable Task storage provider warns about its partition table and leases while storage goes away.
    private readonly bool _isStorageClient = category.StartsWith("DurableTask", StringComparison.Ordinal) || category.StartsWith("Azure.", StringComparison.Ordinal);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel)) return;
        var message = formatter(state, exception);
        if (exception is not null)
        {
            var failure = ExpectedFailure.Of(exception);
            if (!failure.IsBug)
            {
                if (stopping.IsStopping && logLevel < LogLevel.Critical) return; // its message is delivered again after the restart
                message = string.IsNullOrEmpty(message) ? failure.Reason : $"{message}: {failure.Reason}";
                logLevel = logLevel > LogLevel.Warning ? LogLevel.Warning : logLevel;
                exception = null;
            }
            else if (CleanedException.Changes(exception))
            {
                exception = new CleanedException(exception);
            }
        }
        else if (stopping.IsStopping && _isStorageClient && logLevel is LogLevel.Warning or LogLevel.Error)
        {
            return;
        }

        message = Safe(message);
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.Any(v => v.Value is string s && Safe(s) != s))
            inner.Log(logLevel, eventId, new CleanedState(values, message), exception, (s, _) => s.Message);
        else
            inner.Log(logLevel, eventId, state, exception, (_, _) => message);
    }

    private static string Safe(string text) => SafeText.Of(text);

    /// <summary>The entry's values with their text cleaned, for providers that keep them (Application Insights).</summary>
    private sealed class CleanedState(IReadOnlyList<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _values =
            values.Select(v => v.Value is string s && v.Key != "{OriginalFormat}" ? new KeyValuePair<string, object?>(v.Key, Safe(s)) : v).ToArray();

        public string Message => message;
        public int Count => _values.Length;
        public KeyValuePair<string, object?> this[int index] => _values[index];
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => message;
    }

    /// <summary>A bug's exception whose text carried control characters or a secret: the same trace, cleaned line by line.</summary>
    private sealed class CleanedException(Exception original) : Exception(Safe(original.Message))
    {
        public override string? StackTrace => original.StackTrace;
        public override string ToString() => Cleaned(original);

        public static bool Changes(Exception e) => Cleaned(e) != e.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);

        private static string Cleaned(Exception e) => TerminalText.CleanLines(StorageSecrets.Redact(e.ToString()));
    }
}
