using System.Collections.Concurrent;
using System.Net;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.NetEase;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace FunctionsCrawler.Integration.Tests.Storage;

/// <summary>A stored cover is fetched again only when the playlist's cover URL changed, and replaced only by a valid image.</summary>
[Collection(nameof(InProcessStorage))]
public sealed class CoverRefreshTests(AzuriteFixture azurites)
{
    // Real images (a cover's header is read before it is kept), two different ones.
    private static readonly byte[] FirstJpeg = Jpeg(8, 8, 10);
    private static readonly byte[] SecondJpeg = Jpeg(12, 12, 200);

    private static byte[] Jpeg(int width, int height, byte grey)
    {
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.L8>(width, height, new SixLabors.ImageSharp.PixelFormats.L8(grey));
        using var output = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsJpeg(image, output);
        return output.ToArray();
    }

    /// <summary>A cover host on 127.0.0.1 that counts what it is asked for: path → (content type, bytes); <c>…/500.jpg</c> answers HTTP 500.</summary>
    private sealed class CoverServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Dictionary<string, (string Type, byte[] Body)> _files;

        public ConcurrentQueue<string> Requests { get; } = new();
        public Uri BaseUrl { get; }

        public CoverServer(Dictionary<string, (string, byte[])> files)
        {
            _files = files;
            BaseUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
            _listener.Prefixes.Add(BaseUrl.ToString());
            _listener.Start();
            _ = ServeAsync();
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception) when (!_listener.IsListening) { return; }
                catch (HttpListenerException) { return; }
                Requests.Enqueue(context.Request.Url!.PathAndQuery);
                using var response = context.Response;
                if (_files.TryGetValue(context.Request.Url.AbsolutePath, out var file))
                {
                    response.ContentType = file.Type;
                    await response.OutputStream.WriteAsync(file.Body);
                }
                else response.StatusCode = context.Request.Url.AbsolutePath.EndsWith("/500.jpg", StringComparison.Ordinal) ? 500 : 404;
            }
        }

        public void Dispose() => _listener.Close();
    }

    private sealed record Covers(CoverStore Store, FetchCover Fetch);

    private static readonly PlaylistWork Work = new("20261201-080000-cvr1", "说唱", []);

    private static Covers Store(StorageClients storage, Uri site)
    {
        var options = new NetEaseOptions { BaseUrl = site.ToString(), RetryDelaySeconds = 0, ReadTimeoutSeconds = 5 };
        var pushback = new SitePushback(Options.Create(options), TimeProvider.System);
        var client = new NetEaseClient(new HttpClient(NetEaseClient.CreateHandler(options)) { Timeout = Timeout.InfiniteTimeSpan },
            new HostRateLimiter(1000, pushback, TimeProvider.System), Options.Create(options), TimeProvider.System, NullLogger<NetEaseClient>.Instance);
        var store = new CoverStore(storage);
        return new Covers(store, new FetchCover(client, store, NullLogger<FetchCover>.Instance));
    }

    private static async Task<byte[]> StoredBytesAsync(Covers covers, long playlistId) =>
        (await covers.Store.ContainerClient.GetBlobClient(CoverStore.BlobName(playlistId)).DownloadContentAsync()).Value.Content.ToArray();

    [Fact]
    public async Task The_same_cover_URL_is_not_fetched_again_a_changed_one_is_and_a_broken_or_failing_new_one_keeps_the_old_cover()
    {
        var azurite = azurites.NewAccount();
        using var server = new CoverServer(new()
        {
            ["/img/first.jpg"] = ("image/jpeg", FirstJpeg),
            ["/img/second.jpg"] = ("image/jpeg", SecondJpeg),
            ["/img/broken.jpg"] = ("text/html", "<html>not an image</html>"u8.ToArray()),
        });
        var covers = Store(LocalStorage.Clients(azurite), server.BaseUrl);
        await covers.Store.EnsureCreatedAsync(default);
        var first = new Uri(server.BaseUrl, "img/first.jpg").ToString();

        var stored = await covers.Fetch.RunAsync(Work, 42, first, default);
        Assert.True(stored.Downloaded);
        Assert.Single(server.Requests);

        // Same image, asked with the list page's thumbnail parameter: the stored cover, no request.
        var again = await covers.Fetch.RunAsync(Work, 42, first + "?param=140y140", default);
        Assert.False(again.Downloaded);
        Assert.Equal(stored.Cover, again.Cover);
        Assert.Single(server.Requests);

        var changed = await covers.Fetch.RunAsync(Work, 42, new Uri(server.BaseUrl, "img/second.jpg").ToString(), default);
        Assert.True(changed.Downloaded);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(SecondJpeg, await StoredBytesAsync(covers, 42));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(SecondJpeg)), changed.Cover!.Sha256);
        Assert.Equal(SecondJpeg.Length, changed.Cover.Bytes);

        // A new URL that answers with no image: one request, the stored cover stays and is what the row gets.
        var broken = await covers.Fetch.RunAsync(Work, 42, new Uri(server.BaseUrl, "img/broken.jpg").ToString(), default);
        Assert.Equal(3, server.Requests.Count);
        Assert.Null(broken.Problem);
        Assert.Equal(changed.Cover, broken.Cover);
        Assert.Equal(SecondJpeg, await StoredBytesAsync(covers, 42));

        // A new URL whose host keeps failing (HTTP 500, retried): the stored cover stays instead of the playlist failing.
        var failing = await covers.Fetch.RunAsync(Work, 42, new Uri(server.BaseUrl, "img/500.jpg").ToString(), default);
        Assert.True(server.Requests.Count > 3);
        Assert.Equal(changed.Cover, failing.Cover);
        Assert.Equal(SecondJpeg, await StoredBytesAsync(covers, 42));
        var requests = server.Requests.Count;

        // The source is still the last stored one: asking for it again costs nothing.
        Assert.False((await covers.Fetch.RunAsync(Work, 42, new Uri(server.BaseUrl, "img/second.jpg").ToString(), default)).Downloaded);
        Assert.Equal(requests, server.Requests.Count);
    }

    [Fact]
    public async Task After_a_categorys_first_lookups_find_nothing_covers_are_written_without_a_lookup_and_one_stored_after_all_is_kept_or_replaced_by_its_source()
    {
        var azurite = azurites.NewAccount();
        using var server = new CoverServer(new()
        {
            ["/img/first.jpg"] = ("image/jpeg", FirstJpeg),
            ["/img/second.jpg"] = ("image/jpeg", SecondJpeg),
        });
        var covers = Store(LocalStorage.Clients(azurite), server.BaseUrl);
        await covers.Store.EnsureCreatedAsync(default);
        var first = new Uri(server.BaseUrl, "img/first.jpg").ToString();
        var firstCrawl = new PlaylistWork("20261201-090000-cvr2", "华语", []);
        // A category crawled for the first time: its first lookups find nothing stored.
        for (var id = 1; id <= 8; id++) Assert.True((await covers.Fetch.RunAsync(firstCrawl, id, first, default)).Downloaded);

        // Stored meanwhile under another category: the conditional write finds it; the same source keeps it...
        var stored = await covers.Fetch.RunAsync(Work, 43, first, default);
        var requests = server.Requests.Count;
        var same = await covers.Fetch.RunAsync(firstCrawl, 43, first, default);
        Assert.Equal(stored.Cover, same.Cover);
        Assert.Equal(FirstJpeg, await StoredBytesAsync(covers, 43));
        // ...and a moved source replaces it, as after a lookup.
        var moved = await covers.Fetch.RunAsync(firstCrawl, 43, new Uri(server.BaseUrl, "img/second.jpg").ToString(), default);
        Assert.Equal(SecondJpeg, await StoredBytesAsync(covers, 43));
        Assert.Equal(SecondJpeg.Length, moved.Cover!.Bytes);
        Assert.Equal(requests + 2, server.Requests.Count); // without a lookup first, each is downloaded before the write finds the stored one
    }
}
