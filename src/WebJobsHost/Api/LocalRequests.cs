using FunctionsCrawler.Api;

namespace FunctionsCrawler.WebJobsHost;

/// <summary>
/// What keeps a web page open in the user's browser from driving the local host: POST routes take JSON only
/// (see <see cref="JsonRequests"/>). The other half, Host headers other than 127.0.0.1/localhost refused
/// (against DNS rebinding), is ASP.NET Core's host filtering with <c>AllowedHosts</c> set in <see cref="WebJobsHostSetup"/>.
/// </summary>
public static class LocalRequests
{
    public static WebApplication UseJsonOnlyPosts(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && !JsonRequests.Accepts(context.Request.ContentType))
            {
                context.Response.StatusCode = JsonRequests.RejectedStatus;
                await context.Response.WriteAsJsonAsync(new { error = JsonRequests.RejectedMessage }); // one line
                return;
            }
            await next(context);
        });
        return app;
    }
}
