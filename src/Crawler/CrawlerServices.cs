using FunctionsCrawler.Hosting;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Export;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Configuration;
using FunctionsCrawler.Progress;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler;

/// <summary>
/// Registers the crawl's core services, the route handlers among them; each host adds its Durable entity sink under the
/// core's progress store (<see cref="Progress.ProgressStore.AddProgressStore{TEntitySink}"/>), its <see cref="Progress.ICrawlStatusStore"/>
/// and the start-up check (<see cref="Hosting.StartupCheckServices.AddStartupCheck"/>).
/// </summary>
public static class CrawlerServices
{
    public static IServiceCollection AddCrawler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCrawlerOptions(configuration);
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton(_ => StorageClients.FromConfiguration(configuration));
        services.AddSingleton<CrawlQueues>();
        services.AddSingleton<CrawlTable>();
        services.AddSingleton<PlaylistTable>();
        services.AddSingleton<CrawlItemTable>();
        services.AddSingleton<PlaylistHistoryTable>();
        services.AddSingleton<PlaylistTracksTable>();
        services.AddSingleton<TrackTable>();
        services.AddSingleton<CoverStore>();
        services.AddSingleton<TrackLists>();
        services.AddSingleton<CrawlExport>();
        services.AddSingleton<CrawlStorage>();
        services.AddSingleton<Data.PlaylistBrowser>();
        services.AddSingleton<Data.CoverThumbnails>();
        services.AddSingleton<Data.CoverRoute>();
        services.AddSingleton<Data.CategoryChanges>();
        services.AddSingleton<Data.TrackBrowser>();

        services.AddSingleton<TableTurnSchedule>();
        services.AddSingleton(sp =>
        {
            // One rate across every process on this storage account (the pause is shared through the status entity).
            var site = sp.GetRequiredService<IOptions<NetEaseOptions>>().Value;
            return new HostRateLimiter(site.RequestsPerSecond, sp.GetRequiredService<SitePushback>(), sp.GetRequiredService<TimeProvider>(),
                site.SharedPacer ? sp.GetRequiredService<TableTurnSchedule>() : null, TimeSpan.FromMilliseconds(site.PacerClockSkewMs));
        });
        // No resilience handler on the HttpClient: NetEaseClient classifies every answer before it retries
        // (a block must pause the crawl, not be re-sent), and paces every try and redirect hop itself.
        services.AddHttpClient<NetEaseClient>(NetEaseClient.HttpClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan) // NetEase__ReadTimeoutSeconds bounds each request
            .ConfigurePrimaryHttpMessageHandler(sp => NetEaseClient.CreateHandler(sp.GetRequiredService<IOptions<NetEaseOptions>>().Value));
        services.AddSingleton<SitePushback>();
        services.AddSingleton<Politeness>();
        services.AddSingleton<ResolveCategories>();
        services.AddSingleton<CancelledCrawls>();
        services.AddSingleton<StartCrawl>();
        services.AddSingleton<ReadCategoryList>();
        services.AddSingleton<RefreshFromList>();
        services.AddSingleton<ScrapeListPage>();
        services.AddSingleton<FetchSlots>();
        services.AddSingleton<FetchCover>();
        services.AddSingleton<FetchPlaylist>();
        services.AddSingleton<FetchTracks>();
        services.AddSingleton<SongBatcher>();
        services.AddSingleton<RecordPlaylists>();
        services.AddSingleton<ScrapePlaylist>();
        services.AddSingleton<ResumeCrawl>();
        services.AddSingleton<PreviousCrawl>();
        services.AddSingleton<FinishCrawl>();
        services.AddSingleton<ResumeStalledCrawls>();
        services.AddSingleton<CleanUpOldCrawls>();
        services.AddSingleton<StatusReadCache>();
        services.AddSingleton<CrawlQueries>();
        services.AddSingleton<Api.CrawlApi>();
        return services;
    }

}
