using FunctionsCrawler.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsCrawler.Functions.Api;

/// <summary><c>GET /api/dashboard</c>: the live HTML dashboard; it polls the status routes beside it.</summary>
public sealed class DashboardRoute
{
    [Function("Dashboard")]
    public IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request) =>
        Results.Content(DashboardPage.Html, "text/html; charset=utf-8");
}
