using Azure;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Logging;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Api;

/// <summary>
/// The error contract of every route, in one place: a bad value is a 400 naming the parameter (the handlers' own
/// exceptions say which); a storage account or status entity that does not answer is a 503 in one line with
/// <c>Retry-After</c>; neither is ever a 500 with a stack trace. Every route handler of the core runs inside it.
/// </summary>
public static class RouteGuard
{
    public static async Task<ApiResult> RunAsync(Func<Task<ApiResult>> handle, ILogger? log, CancellationToken ct)
    {
        try
        {
            return await handle();
        }
        catch (Exception e) when (e is CrawlQueryException or CrawlerConfigurationException)
        {
            return ApiResult.Fail(StatusCodes.Status400BadRequest, e.Message);
        }
        catch (ProgressUnavailableException e)
        {
            log?.LogWarning("A route answered 503: {Error}", e.Message);
            return ApiResult.Unavailable(ApiErrors.Unavailable(e.Reason));
        }
        catch (Exception e) when (!ct.IsCancellationRequested && StorageFailure(e) is { } reason)
        {
            log?.LogWarning("A route answered 503: {Error}", reason);
            return ApiResult.Unavailable(ApiErrors.StorageUnavailable(reason));
        }
    }

    /// <summary>
    /// Why storage failed, in one line without secrets; null when <paramref name="e"/> is not a storage failure. The SDK
    /// throws a <see cref="RequestFailedException"/>, or after its retries an <see cref="AggregateException"/> of them
    /// (connection refused, a timeout as <see cref="OperationCanceledException"/>).
    /// </summary>
    private static string? StorageFailure(Exception e) => e switch
    {
        RequestFailedException { Status: 0 } failed => StorageSecrets.Redact($"no answer: {FirstLine(failed)}"),
        RequestFailedException failed => StorageSecrets.Redact($"storage answered {failed.Status}: {FirstLine(failed)}"),
        OperationCanceledException or TimeoutException => "no answer in time",
        AggregateException { InnerExceptions: [var first, ..] } aggregate when aggregate.InnerExceptions.All(i => StorageFailure(i) is not null) => StorageFailure(first),
        _ => null,
    };

    private static string FirstLine(Exception e) => SafeText.Of(e.Message.Split('\n')[0].Trim());
}
