using System.Globalization;
using FunctionsCrawler.Sandbox.Pages;
using Microsoft.AspNetCore.Http;

namespace FunctionsCrawler.Sandbox.Faults;

/// <summary>
/// Middleware in front of every site route (not /_sandbox/*): logs the arrival, waits LatencyMs,
/// then either answers with a fault from the plan or lets the route answer, and logs the outcome.
/// </summary>
internal sealed class SiteFaults(SandboxOptions options, FaultPlan plan, RequestLog log, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var kind = RequestKinds.Of(context.Request);
        if (kind == RequestKind.Control)
        {
            await next(context);
            return;
        }

        var arrivedAt = time.GetUtcNow();
        log.Arrived(kind.Name(), arrivedAt);
        string outcome;
        try
        {
            if (options.LatencyMs > 0)
                await Task.Delay(options.LatencyMs, context.RequestAborted);
            if (kind is RequestKind.Playlist or RequestKind.Api
                && long.TryParse(context.Request.Query["id"], out var id) && options.IsFailing(id))
            {
                var failing = FaultResponses.ServerError(500);
                await SiteResponse.Bytes(context, failing.Status, failing.ContentType, failing.Body);
                outcome = "failing-id";
            }
            else if (plan.Decide(kind) is { } fault)
            {
                if (fault.RetryAfterSeconds > 0)
                    context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await SiteResponse.Bytes(context, fault.Status, fault.ContentType, fault.Body);
                outcome = fault.Outcome;
            }
            else
            {
                await next(context);
                outcome = SiteResponse.Outcome(context);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            outcome = "aborted"; // the client gave up; nothing left to answer
        }
        log.Answered(new RequestLogEntry(
            arrivedAt, context.Request.Method, context.Request.Path + context.Request.QueryString,
            kind.Name(), context.Response.StatusCode, outcome, time.GetUtcNow()));
    }
}
