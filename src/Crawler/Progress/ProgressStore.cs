using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Progress;

/// <summary>The one progress store both hosts register: their Durable entity sink under the core's batching and retries.</summary>
public static class ProgressStore
{
    /// <summary>
    /// Registers <typeparamref name="TEntitySink"/> (the host's way into its status entity) as <see cref="IBatchProgressSink"/>,
    /// the <see cref="BatchingProgressSink"/> over it as the <see cref="ICrawlProgressSink"/> every step and route uses,
    /// and a last flush when the host stops. Its <see cref="ProgressStoreOptions"/> are bound with the others (<see cref="CrawlerServices.AddCrawler"/>). Register it before the host's triggers so that it stops after them.
    /// </summary>
    public static IServiceCollection AddProgressStore<TEntitySink>(this IServiceCollection services) where TEntitySink : class, IBatchProgressSink
    {
        services.AddSingleton<IBatchProgressSink, TEntitySink>();
        services.AddSingleton(sp => new BatchingProgressSink(sp.GetRequiredService<IBatchProgressSink>(),
            sp.GetRequiredService<IOptions<ProgressStoreOptions>>().Value, sp.GetRequiredService<ILogger<BatchingProgressSink>>(),
            sp.GetService<TimeProvider>()));
        services.AddSingleton<ICrawlProgressSink>(sp => sp.GetRequiredService<BatchingProgressSink>());
        services.AddHostedService<FlushProgressOnStop>();
        return services;
    }

    /// <summary>Sends what the store holds when the host stops, while its Durable client is still there (the DI container disposes it later).</summary>
    private sealed class FlushProgressOnStop(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

        public Task StopAsync(CancellationToken ct) => services.GetRequiredService<BatchingProgressSink>().FlushOnStopAsync();
    }
}
