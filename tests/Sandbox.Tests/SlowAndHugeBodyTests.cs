using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class SlowAndHugeBodyTests
{
    [Fact]
    public async Task Drip_ids_send_headers_at_once_then_one_byte_per_interval()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { DripIntervalMs = 200 });
        var id = site.Catalog.PageIds("说唱", 0)[1];
        site.Options.DripIds = $"{id}";
        using var http = new HttpClient { BaseAddress = site.BaseUrl };

        foreach (var path in new[] { $"/playlist?id={id}", $"/api/v6/playlist/detail?id={id}" })
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"headers took {clock.ElapsedMilliseconds} ms");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var length = response.Content.Headers.ContentLength!.Value;
            Assert.True(length > 100);

            var read = await ReadFor(response, TimeSpan.FromSeconds(1.1));
            Assert.InRange(read, 1, 8);
        }

        // Cleared while running: the same page comes whole again.
        site.Options.DripIds = "";
        using var client = new SiteClient(site);
        Assert.Contains("content-operation", await client.TextAsync($"/playlist?id={id}"));
    }

    [Fact]
    public async Task A_client_that_gives_up_on_a_drip_is_logged_aborted_and_the_site_stops_promptly()
    {
        var site = await SandboxSite.StartAsync(new SandboxOptions { DripIntervalMs = 1000 });
        var id = site.Catalog.PageIds("说唱", 0)[1];
        site.Options.DripIds = $"{id}";
        using (var http = new HttpClient { BaseAddress = site.BaseUrl, Timeout = TimeSpan.FromSeconds(1.5) })
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.GetByteArrayAsync($"/playlist?id={id}"));
        for (var wait = 0; wait < 50 && site.Log.Entries().Count == 0; wait++)
            await Task.Delay(100);
        Assert.Equal("aborted", Assert.Single(site.Log.Entries()).Outcome);

        using var stillDripping = new HttpClient { BaseAddress = site.BaseUrl };
        using var response = await stillDripping.GetAsync($"/api/v6/playlist/detail?id={id}", HttpCompletionOption.ResponseHeadersRead);
        var clock = Stopwatch.StartNew();
        await site.DisposeAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"stopping took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Inflate_ids_get_a_small_gzip_body_that_inflates_to_the_megabytes_asked()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions());
        var id = site.Catalog.PageIds("说唱", 0)[1];
        site.Options.InflateIds = $"{id}";
        using var client = new SiteClient(site); // no automatic decompression, as HttpClient's default

        using var response = await client.GetAsync($"/playlist?id={id}");
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        var compressed = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(compressed.Length, response.Content.Headers.ContentLength);
        Assert.InRange(compressed.Length, 100_000, 400_000);

        await using var inflating = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var buffer = new byte[1 << 20];
        var first = await inflating.ReadAtLeastAsync(buffer, 64);
        Assert.StartsWith("<!DOCTYPE html>", Encoding.ASCII.GetString(buffer, 0, first));
        long total = first;
        for (int read; (read = await inflating.ReadAsync(buffer)) > 0;)
            total += read;
        Assert.Equal(200L << 20, total);
    }

    [Fact]
    public async Task Inflate_megabytes_sets_the_inflated_size_and_other_ids_are_plain()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { InflateMegabytes = 3 });
        var ids = site.Catalog.PageIds("说唱", 0);
        site.Options.InflateIds = $"{ids[1]}, {ids[2]}";
        using var client = new SiteClient(site);

        using var response = await client.GetAsync($"/playlist?id={ids[2]}");
        await using var inflating = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        var sink = new CountingStream();
        await inflating.CopyToAsync(sink);
        Assert.Equal(3L << 20, sink.Length);

        using var plain = await client.GetAsync($"/playlist?id={ids[3]}");
        Assert.Empty(plain.Content.Headers.ContentEncoding);
    }

    private static async Task<long> ReadFor(HttpResponseMessage response, TimeSpan time)
    {
        using var stop = new CancellationTokenSource(time);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        long read = 0;
        try
        {
            for (int count; (count = await body.ReadAsync(buffer, stop.Token)) > 0;)
                read += count;
        }
        catch (OperationCanceledException)
        {
            // The body is still dripping: that is what is measured.
        }
        return read;
    }

    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
    }
}
