using System.Net;
using FunctionsCrawler.Sandbox.Faults;
using FunctionsCrawler.Sandbox.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsCrawler.Sandbox;

/// <summary>A running Sandbox site on 127.0.0.1. Dispose it to stop it.</summary>
public sealed class SandboxSite : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly WebApplication _app;

    private SandboxSite(WebApplication app, Uri baseUrl, SandboxCatalog catalog, RequestLog log, SandboxOptions options)
    {
        _app = app;
        BaseUrl = baseUrl;
        CoverBaseUrl = catalog.CoverBaseUrl;
        Catalog = catalog;
        Log = log;
        Options = options;
    }

    /// <summary>http://127.0.0.1:&lt;port&gt;/ with the port actually bound.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Where its images are served: <see cref="BaseUrl"/>, or http://127.0.0.1:&lt;CoverPort&gt;/.</summary>
    public Uri CoverBaseUrl { get; }

    public SandboxCatalog Catalog { get; }

    public RequestLog Log { get; }

    public SandboxOptions Options { get; }

    /// <summary>Starts the site on 127.0.0.1:<paramref name="port"/> (0 = a free port, reported in <see cref="BaseUrl"/>).</summary>
    /// <param name="time">The clock of the faults and the request log (block windows, latency, arrivals); tests pass a fake one.</param>
    public static async Task<SandboxSite> StartAsync(SandboxOptions options, int port = 0, TimeProvider? time = null, CancellationToken ct = default)
    {
        time ??= TimeProvider.System;
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxSite).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A failed start is rethrown to the caller; the host's own copy of it is noise.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.AddSingleton<IHostLifetime, SiteLifetime>();

        var app = builder.Build();
        // Set here, addresses from the environment (ASPNETCORE_URLS, HTTP_PORTS) are never consulted.
        app.Urls.Add($"http://127.0.0.1:{port}");
        if (options.CoverPort != 0)
        {
            if (options.CoverPort == port) throw new ArgumentException($"Sandbox:CoverPort ({options.CoverPort}) must not be the site's own port");
            app.Urls.Add($"http://127.0.0.1:{options.CoverPort}");
        }
        var state = new SiteState(options);
        var plan = new FaultPlan(options, new FaultResponses(options, state.Charset), time);
        var faults = new SiteFaults(options, plan, state.Log, time);
        app.Use(async (context, next) =>
        {
            await state.Ready;
            // The cover host is an image CDN: it serves images (and the Sandbox's own routes), no page or API answer.
            if (options.CoverPort != 0 && context.Connection.LocalPort == options.CoverPort && !SiteRoutes.IsImagePath(context.Request.Path))
            {
                await SiteResponse.Bytes(context, 404, "text/plain", "not an image: the cover host serves images only"u8.ToArray());
                return;
            }
            await faults.InvokeAsync(context, next);
        });
        SiteRoutes.Map(app, state);
        app.MapFallback(context => SiteRoutes.Fallback(context, state));

        try
        {
            await app.StartAsync(ct);
            var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
                .Select(a => new Uri(a.TrimEnd('/') + "/")).ToList();
            var baseUrl = addresses.First(a => options.CoverPort == 0 || a.Port != options.CoverPort);
            var coverUrl = options.CoverPort == 0 ? null : addresses.First(a => a.Port == options.CoverPort);
            var catalog = new SandboxCatalog(options, baseUrl, coverUrl);
            state.Open(catalog);
            return new SandboxSite(app, baseUrl, catalog, state.Log, options);
        }
        catch (Exception error)
        {
            state.Abandon(error);
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(StopTimeout))
            await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
