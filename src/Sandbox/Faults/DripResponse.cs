using FunctionsCrawler.Sandbox.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FunctionsCrawler.Sandbox.Faults;

/// <summary>
/// Sends a response's headers at once (with the full Content-Length), then its body one byte per
/// interval, flushing each: a client without a body timeout waits for hours.
/// </summary>
internal static class DripResponse
{
    public static async Task Write(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body, TimeSpan interval)
    {
        // Kestrel would otherwise drop a response slower than its minimum data rate; the slowness is the point.
        if (context.Features.Get<IHttpMinResponseDataRateFeature>() is { } rate)
            rate.MinDataRate = null;
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);

        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        try
        {
            await context.Response.Body.FlushAsync(cancel.Token);
            for (var i = 0; i < body.Length; i++)
            {
                await Task.Delay(interval, cancel.Token);
                await context.Response.Body.WriteAsync(body.Slice(i, 1), cancel.Token);
                await context.Response.Body.FlushAsync(cancel.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // The site is stopping: cut the connection rather than hold up shutdown for hours.
            context.Abort();
            SiteResponse.MarkOutcome(context, "aborted");
        }
    }
}
