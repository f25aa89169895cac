using Azure;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FunctionsCrawler.Logging;

/// <summary>What kind of failure an exception is, from the crawl's point of view.</summary>
public enum FailureKind { Bug, Step, Site, Storage, Cancelled }

/// <summary>
/// Tells the crawl's expected failures from bugs. A malformed page, a site that keeps failing, a
/// storage hiccup or a cancelled step is an outcome the queue handles (it delivers the message
/// again, or moves it to the poison queue): one line says enough. Anything else is a bug and keeps
/// its stack trace.
/// </summary>
public readonly record struct ExpectedFailure(FailureKind Kind, string Reason)
{
    public bool IsBug => Kind == FailureKind.Bug;

    /// <summary>Looks through wrappers (the hosts' FunctionInvocationException, AggregateException) for the failure's cause.</summary>
    public static ExpectedFailure Of(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case CrawlStepException: return new(FailureKind.Step, x.Message);
                case TimeoutRejectedException: return new(FailureKind.Site, "the site did not answer in time");
                case BrokenCircuitException or HttpRequestException: return new(FailureKind.Site, "site: " + FirstLine(x.Message));
                case RequestFailedException: return new(FailureKind.Storage, "storage: " + FirstLine(x.Message));
                case OperationCanceledException: return new(FailureKind.Cancelled, "cancelled");
            }
        }
        return new(FailureKind.Bug, FirstLine(e.Message));
    }

    // Azure SDK messages go on with the request's headers and content on further lines.
    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r');
}
