using Microsoft.Playwright;

namespace FunctionsCrawler.Dashboard.Tests;

/// <summary>Console errors, uncaught exceptions and failed or 4xx/5xx requests seen by one page.</summary>
public sealed class PageProblems
{
    private readonly List<string> _problems = [];

    public PageProblems(IPage page)
    {
        page.Console += (_, message) => { if (message.Type == "error") Add($"console: {message.Text}"); };
        page.PageError += (_, error) => Add($"page error: {error}");
        page.RequestFailed += (_, request) => Add($"request failed: {request.Method} {request.Url} ({request.Failure})");
        page.Response += (_, response) => { if (response.Status >= 400) Add($"HTTP {response.Status}: {response.Url}"); };
    }

    public IReadOnlyList<string> All { get { lock (_problems) return [.. _problems]; } }

    private void Add(string problem) { lock (_problems) _problems.Add(problem); }
}
