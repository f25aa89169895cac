using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FunctionsCrawler.Storage;
using Xunit;

namespace FunctionsCrawler.HostContract.Tests;

/// <summary>
/// The covers route through both hosts: a stored cover comes with the same hardening and private caching, and a blob
/// stored as anything but a JPEG, PNG, GIF or WebP (an SVG runs script) is refused in one line, never served.
/// </summary>
[Collection(StartedHosts.Name)]
public sealed class CoverRouteContractTests(RouteHosts hosts) : IClassFixture<RouteHosts>
{
    public static TheoryData<string> Hosts => new() { HostUnderTest.WebJobs, HostUnderTest.Functions };

    internal static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    private Task StoreAsync(long id, byte[] bytes, string type) => StoreAsync(hosts.Azurite, id, bytes, type);

    /// <summary>Stores a cover as the crawl does: the blob, its type and its sha256.</summary>
    internal static async Task StoreAsync(Azurite azurite, long id, byte[] bytes, string type)
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(CoverStore.Container);
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient(CoverStore.BlobName(id)).UploadAsync(BinaryData.FromBytes(bytes), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = type },
            Metadata = new Dictionary<string, string> { [CoverStore.ShaKey] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) },
        });
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_cover_is_served_hardened_and_privately_cached_and_an_svg_is_refused(string host)
    {
        await StoreAsync(4201, Png, "image/png");
        await StoreAsync(4202, "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray(), "image/svg+xml");

        var cover = await hosts.CallAsync(host, new("GET", "covers/{file}", new() { ["file"] = "4201.jpg" }));
        Assert.Equal(200, cover.Status);
        Assert.Equal("image/png", cover.ContentType);
        Assert.Equal("nosniff", cover.Headers!["X-Content-Type-Options"]);
        Assert.Equal("default-src 'none'", cover.Headers["Content-Security-Policy"]);
        var caching = cover.Headers["Cache-Control"].Split(',', StringSplitOptions.TrimEntries); // HttpClient reorders the directives
        Assert.Equal(["max-age=86400", "private"], caching.Order(StringComparer.Ordinal));

        var svg = await hosts.CallAsync(host, new("GET", "covers/{file}", new() { ["file"] = "4202.jpg" }));
        Assert.Equal(404, svg.Status);
        Assert.StartsWith("application/json", svg.ContentType, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', svg.Body);
        Assert.Contains("stored cover is not served", svg.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", svg.Body, StringComparison.Ordinal);
    }
}
