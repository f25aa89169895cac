using FunctionsCrawler.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsCrawler.Functions.Api;

/// <summary><c>GET /api/dashboard</c>: the live HTML dashboard; it polls the status routes beside it.</summary>
public sealed class DashboardRoute(CrawlApi api)
{
    [Function("Dashboard")]
    public IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request) => api.Dashboard().ToResult();
}
