using FunctionsCrawler.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FunctionsCrawler.Tests.Logging;

public sealed class CrawlLogScopeTests
{
    [Fact]
    public async Task Every_line_logged_inside_a_step_scope_carries_the_crawl_id_whatever_its_logger()
    {
        var sink = new ScopeRecorder();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Information));
        services.AddSingleton<ILoggerProvider>(sink);
        services.AddSafeCrawlerLogs(); // as both hosts wrap their providers
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<ILoggerFactory>();
        var step = factory.CreateLogger("FunctionsCrawler.Pipeline.ScrapeListPage");
        var client = factory.CreateLogger("FunctionsCrawler.NetEase.NetEaseClient");

        using (step.BeginCrawlScope("20261127-081428-942d"))
        {
            step.LogWarning("page 1 failed");
            await Task.Yield(); // the scope flows with the async work of the step
            client.LogInformation("retrying");
        }
        step.LogInformation("outside");

        Assert.Equal("20261127-081428-942d", sink.CrawlIdOf("page 1 failed"));
        Assert.Equal("20261127-081428-942d", sink.CrawlIdOf("retrying"));
        Assert.Null(sink.CrawlIdOf("outside"));
    }

    /// <summary>A provider that, like Application Insights, reads the ambient scopes of each entry.</summary>
    private sealed class ScopeRecorder : ILoggerProvider, ISupportExternalScope, ILogger
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
        private readonly List<(string Message, string? CrawlId)> _entries = [];

        public string? CrawlIdOf(string message)
        {
            lock (_entries) return _entries.Single(e => e.Message == message).CrawlId;
        }

        public ILogger CreateLogger(string categoryName) => this;
        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => _scopes.Push(state);
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string? crawlId = null;
            _scopes.ForEachScope((scope, _) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object>> values)
                    foreach (var (key, value) in values)
                        if (key == CrawlLogScope.CrawlId) crawlId = value as string;
            }, (object?)null);
            lock (_entries) _entries.Add((formatter(state, exception), crawlId));
        }
    }
}
