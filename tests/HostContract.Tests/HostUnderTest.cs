using System.Reflection;
using System.Text;
using FunctionsCrawler.Functions;
using FunctionsCrawler.Progress;
using FunctionsCrawler.WebJobsHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FunctionsCrawler.HostContract.Tests;

/// <summary>An HTTP answer as a client would read it.</summary>
public sealed record Answer(int Status, string? ContentType, string Body, IHeaderDictionary Headers);

/// <summary>
/// One host's service container, built in-process with the host's own registrations (its setup method, its host.json
/// reader, its route mapping, its trigger classes), its Durable entity sink swapped for <see cref="InMemoryStatusEntities"/>.
/// Nothing is started: a case calls the host's route handlers and the entry points its triggers call.
/// </summary>
public abstract class HostUnderTest : IAsyncDisposable
{
    public const string WebJobs = "webjobs", Functions = "functions";

    /// <param name="time">The clock of every service, when a case moves time on itself (null: the system's).</param>
    public static HostUnderTest Create(string name, IReadOnlyDictionary<string, string> settings, TimeProvider? time = null) =>
        name == WebJobs ? new WebJobsHostUnderTest(settings, time) : new FunctionsHostUnderTest(settings, time);

    public InMemoryStatusEntities Entities { get; } = new();

    public abstract IServiceProvider Services { get; }

    /// <summary>The type the host itself registered as its entity sink, before the test swapped it.</summary>
    public Type? HostEntitySink { get; protected set; }

    /// <summary>The service types the host registered (resolving every hosted service would start the worker's gRPC client).</summary>
    public IReadOnlySet<Type> Registered { get; private set; } = new HashSet<Type>();

    protected void SwapEntitySink(IServiceCollection services, TimeProvider? time)
    {
        if (time is not null)
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(time);
        }
        Registered = services.Select(d => d.ServiceType).ToHashSet();
        HostEntitySink = services.LastOrDefault(d => d.ServiceType == typeof(IBatchProgressSink))?.ImplementationType;
        services.RemoveAll<IBatchProgressSink>();
        services.AddSingleton<IBatchProgressSink>(Entities);
    }

    /// <summary>Calls the host's handler of <paramref name="method"/> <paramref name="route"/> (a template such as <c>crawls/{crawlId}</c>).</summary>
    public async Task<Answer> CallAsync(string method, string route, IReadOnlyDictionary<string, string>? routeValues = null, string? query = null,
        string? contentType = null, string? body = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        context.Request.Path = "/api/" + Fill(route, routeValues);
        if (query is not null) context.Request.QueryString = new QueryString("?" + query);
        if (contentType is not null) context.Request.ContentType = contentType;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
        }
        foreach (var (key, value) in routeValues ?? new Dictionary<string, string>()) context.Request.RouteValues[key] = value;
        var response = new MemoryStream();
        context.Response.Body = response;
        await InvokeAsync(method, route, context);
        return new Answer(context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(response.ToArray()), context.Response.Headers);
    }

    private static string Fill(string route, IReadOnlyDictionary<string, string>? values)
    {
        foreach (var (key, value) in values ?? new Dictionary<string, string>()) route = route.Replace("{" + key + "}", Uri.EscapeDataString(value));
        return route;
    }

    protected abstract Task InvokeAsync(string method, string route, HttpContext context);

    public abstract Task ScrapeListPageAsync(string message, long dequeueCount);
    public abstract Task ScrapePlaylistAsync(string message, long dequeueCount);
    public abstract Task ResumeStalledAsync();

    public abstract ValueTask DisposeAsync();

    private sealed class WebJobsHostUnderTest : HostUnderTest
    {
        private readonly WebApplication _app;

        public WebJobsHostUnderTest(IReadOnlyDictionary<string, string> settings, TimeProvider? time)
        {
            string[] args = [.. settings.Select(s => $"--{s.Key}={s.Value}")];
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Repo.Root });
            builder.AddCrawlerHost(args, Repo.Root);
            SwapEntitySink(builder.Services, time);
            _app = builder.Build();
            _app.MapCrawlRoutes();
        }

        public override IServiceProvider Services => _app.Services;

        protected override Task InvokeAsync(string method, string route, HttpContext context)
        {
            var endpoints = ((IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>();
            var endpoint = endpoints.SingleOrDefault(e => e.RoutePattern.RawText == "/api/" + route
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains(method) == true)
                ?? throw new InvalidOperationException($"the WebJobs host maps no {method} /api/{route}");
            return endpoint.RequestDelegate!(context);
        }

        private CrawlTriggers Triggers => ActivatorUtilities.CreateInstance<CrawlTriggers>(Services);

        public override Task ScrapeListPageAsync(string message, long dequeueCount) => Triggers.ScrapeListPage(message, dequeueCount, CancellationToken.None);
        public override Task ScrapePlaylistAsync(string message, long dequeueCount) => Triggers.ScrapePlaylist(message, dequeueCount, CancellationToken.None);
        public override Task ResumeStalledAsync() => Triggers.ResumeStalled(null!, CancellationToken.None);

        public override async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    private sealed class FunctionsHostUnderTest : HostUnderTest
    {
        private readonly IHost _host;

        public FunctionsHostUnderTest(IReadOnlyDictionary<string, string> settings, TimeProvider? time)
        {
            var builder = FunctionsApplication.CreateBuilder([]);
            // What func hands the worker: local.settings.json's Values, then the test's settings (as environment variables would).
            builder.Configuration.AddInMemoryCollection(HostSettings.LocalValues(Repo.Root));
            builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
            builder.ConfigureFunctionsWebApplication();
            builder.Services.AddCrawlerFunctions(builder.Configuration); // host.json beside the app, as deployed
            SwapEntitySink(builder.Services, time);
            _host = builder.Build();
        }

        public override IServiceProvider Services => _host.Services;

        /// <summary>The [Function] whose HTTP trigger has this route and method, called as the worker would: request, route values, no Durable host.</summary>
        protected override async Task InvokeAsync(string method, string route, HttpContext context)
        {
            var (type, function, trigger) = typeof(FunctionsSetup).Assembly.GetTypes()
                .SelectMany(t => t.GetMethods().Select(m => (Type: t, Method: m)))
                .Where(f => f.Method.GetCustomAttribute<FunctionAttribute>() is not null)
                .Select(f => (f.Type, f.Method, Trigger: f.Method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
                .SingleOrDefault(f => f.Trigger?.Route == route && f.Trigger.Methods?.Contains(method, StringComparer.OrdinalIgnoreCase) == true);
            if (function is null) throw new InvalidOperationException($"the Functions app has no {method} /api/{route}");
            var args = function.GetParameters().Select(p =>
                p.ParameterType == typeof(HttpRequest) ? context.Request
                : p.ParameterType == typeof(CancellationToken) ? CancellationToken.None
                : p.ParameterType == typeof(string) ? (object?)context.Request.RouteValues[p.Name!]?.ToString()
                : null).ToArray(); // the DurableTaskClient: none in-process, the entity sink is swapped
            var instance = ActivatorUtilities.CreateInstance(Services, type);
            var returned = function.Invoke(instance, args);
            var result = returned is Task<IResult> task ? await task : (IResult)returned!;
            await result.ExecuteAsync(context);
        }

        public override Task ScrapeListPageAsync(string message, long dequeueCount) =>
            ActivatorUtilities.CreateInstance<FunctionsCrawler.Functions.Triggers.ScrapeListPage>(Services).Run(message, dequeueCount, null!, CancellationToken.None);

        public override Task ScrapePlaylistAsync(string message, long dequeueCount) =>
            ActivatorUtilities.CreateInstance<FunctionsCrawler.Functions.Triggers.ScrapePlaylist>(Services).Run(message, dequeueCount, null!, CancellationToken.None);

        public override Task ResumeStalledAsync() =>
            ActivatorUtilities.CreateInstance<FunctionsCrawler.Functions.Triggers.ResumeStalledCrawls>(Services).Run(null!, null!, CancellationToken.None);

        public override ValueTask DisposeAsync() => ((IAsyncDisposable)_host).DisposeAsync();
    }
}
