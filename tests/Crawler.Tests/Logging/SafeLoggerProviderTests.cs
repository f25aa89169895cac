using Azure;
using FunctionsCrawler.Logging;
using FunctionsCrawler.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FunctionsCrawler.Tests.Logging;

public sealed class SafeLoggerProviderTests : IDisposable
{
    private readonly CapturingProvider _captured = new();
    private readonly HostStopping _stopping = new();
    private readonly ILogger _log;

    public SafeLoggerProviderTests() => _log = new SafeLoggerProvider(_captured, _stopping).CreateLogger("Function.ScrapePlaylist");

    public void Dispose() => _captured.Dispose();

    [Fact]
    public void A_crawled_title_with_escapes_reaches_the_sink_stripped_in_message_and_values()
    {
        _log.LogWarning("Playlist {PlaylistId} titled {Title}", 42, "\u001b[2J\u202Egnp.exe\r\nforged");

        var entry = Assert.Single(_captured.Entries);
        Assert.Equal("Playlist 42 titled ␛[2J\uFFFDgnp.exe⏎forged", entry.Message);
        Assert.Equal("␛[2J\uFFFDgnp.exe⏎forged", entry.Values["Title"]);
        Assert.Equal(42, entry.Values["PlaylistId"]);
    }

    [Fact]
    public void A_step_exception_is_one_warning_line_with_its_message_and_no_trace()
    {
        _log.LogError(Thrown(new InvalidOperationException("wrapper", Thrown(new CrawlStepException("playlist 7: no playlist data in the page")))),
            "Executed 'ScrapePlaylist' (Failed, Id=1, Duration=3ms)");

        var entry = Assert.Single(_captured.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Null(entry.Exception);
        Assert.Equal("Executed 'ScrapePlaylist' (Failed, Id=1, Duration=3ms): playlist 7: no playlist data in the page", entry.Message);
    }

    [Fact]
    public void A_storage_failure_quoting_a_key_is_one_line_without_the_key()
    {
        _log.LogError(Thrown(new RequestFailedException("Server failed to authenticate: AccountKey=c2VjcmV0;\nHeaders: …")), "Executed 'ScrapePlaylist' (Failed)");

        var entry = Assert.Single(_captured.Entries);
        Assert.Equal("Executed 'ScrapePlaylist' (Failed): storage: Server failed to authenticate: AccountKey=***;", entry.Message);
    }

    [Fact]
    public void A_bug_keeps_its_exception_and_stack_trace()
    {
        var bug = Thrown(new NullReferenceException("oops"));
        _log.LogError(bug, "Executed 'ScrapePlaylist' (Failed)");

        var entry = Assert.Single(_captured.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(bug, entry.Exception);
    }

    [Fact]
    public void A_bug_whose_message_quotes_hostile_text_or_a_key_keeps_its_trace_cleaned()
    {
        _log.LogError(Thrown(new InvalidOperationException("bad \u001b[2J AccountKey=c2VjcmV0")), "failed");

        var exception = Assert.Single(_captured.Entries).Exception!;
        Assert.Contains("bad ␛[2J AccountKey=***", exception.ToString());
        Assert.Contains("   at ", exception.ToString());
        Assert.DoesNotContain("c2VjcmV0", exception.ToString());
    }

    [Fact]
    public void A_cancelled_step_is_one_line_while_running_and_nothing_while_the_host_stops()
    {
        _log.LogError(Thrown(new TaskCanceledException()), "Executed 'ScrapePlaylist' (Failed)");
        Assert.Equal("Executed 'ScrapePlaylist' (Failed): cancelled", Assert.Single(_captured.Entries).Message);

        _stopping.Begin();
        _log.LogError(Thrown(new TaskCanceledException()), "Executed 'ScrapePlaylist' (Failed)");
        _log.LogError(Thrown(new RequestFailedException("Connection refused (127.0.0.1:10001)")), "Executed 'ScrapePlaylist' (Failed)");
        Assert.Single(_captured.Entries);
    }

    [Fact]
    public void Storage_client_warnings_are_left_out_while_the_host_stops()
    {
        var durable = new SafeLoggerProvider(_captured, _stopping).CreateLogger("DurableTask.AzureStorage");
        _stopping.Begin();
        durable.LogWarning("Operation to read and write the partition table exceeded the 2-second timeout.");
        Assert.Empty(_captured.Entries);
    }

    [Fact]
    public void Every_registered_provider_is_wrapped()
    {
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(_captured)).AddSafeCrawlerLogs();
        using var sp = services.BuildServiceProvider();
        Assert.All(sp.GetServices<ILoggerProvider>(), p => Assert.IsType<SafeLoggerProvider>(p));

        sp.GetRequiredService<ILoggerFactory>().CreateLogger("x").LogWarning("hi \u001b[2J");
        Assert.Equal("hi ␛[2J", Assert.Single(_captured.Entries).Message);
    }

    private static T Thrown<T>(T e) where T : Exception
    {
        try { throw e; }
        catch (T caught) { return caught; }
    }

    private sealed record Entry(LogLevel Level, string Message, Exception? Exception, Dictionary<string, object?> Values);

    private sealed class CapturingProvider : ILoggerProvider, ILogger
    {
        public List<Entry> Entries { get; } = [];
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add(new(logLevel, formatter(state, exception), exception,
                (state as IEnumerable<KeyValuePair<string, object?>>)?.ToDictionary(v => v.Key, v => v.Value) ?? []));
        public void Dispose() { }
    }
}
