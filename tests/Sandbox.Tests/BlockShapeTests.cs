using System.Net;
using System.Text;
using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Tests;

public sealed class BlockShapeTests
{
    [Theory]
    [InlineData("503", 503, "很抱歉，服务器开小差了，请稍后再试")]
    [InlineData("429", 429, "429 Too Many Requests")]
    [InlineData("460", 200, """{"code":-460,"msg":"Cheating"}""")]
    [InlineData("460-400", 400, """{"code":-460,"msg":"Cheating"}""")]
    [InlineData("462", 200, "\"code\":-462")]
    public async Task A_fixed_block_shape_answers_every_blocked_request_alike(string shape, int status, string body)
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BlockAfterRequests = 1, BlockForSeconds = 30, BlockShape = shape });
        using var client = new SiteClient(site);
        var id = site.Catalog.PageIds("说唱", 0)[1];
        await client.TextAsync($"/playlist?id={id}");

        foreach (var path in new[] { SiteClient.ListPath("说唱", 0), $"/playlist?id={id}", $"/api/v6/playlist/detail?id={id}", SiteClient.ListPath("说唱", 1) })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Contains(body, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
            Assert.Null(response.Headers.RetryAfter);
        }
        Assert.Equal(4, site.Log.ByOutcome()["blocked"]);
    }

    [Fact]
    public async Task Block_462_carries_a_verification_text_and_url()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BlockAfterRequests = 1, BlockShape = "462" });
        using var client = new SiteClient(site);
        await client.TextAsync("/playlist?id=1");
        using var json = JsonDocument.Parse(await client.TextAsync("/api/v6/playlist/detail?id=1"));
        Assert.Equal(-462, json.RootElement.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("data").GetProperty("blockText").GetString()));
        Assert.StartsWith("http://", json.RootElement.GetProperty("data").GetProperty("url").GetString());
    }

    [Fact]
    public async Task Empty_block_is_http_200_with_no_body()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BlockAfterRequests = 1, BlockShape = "empty" });
        using var client = new SiteClient(site);
        await client.TextAsync("/playlist?id=1");
        using var response = await client.GetAsync("/playlist?id=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, response.Content.Headers.ContentLength);
        Assert.Equal(1, site.Log.ByOutcome()["blocked"]);
    }

    [Fact]
    public async Task The_503_overload_page_follows_the_charset_label()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BlockAfterRequests = 1, BlockShape = "503", CharsetLabel = "utf8" });
        using var client = new SiteClient(site);
        await client.TextAsync("/playlist?id=1");
        using var response = await client.GetAsync("/playlist?id=1");
        Assert.Equal(503, (int)response.StatusCode);
        Assert.True(response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var type));
        Assert.Equal("text/html;charset=utf8", type.ToString());
    }

    [Theory]
    [InlineData("503", 503)]
    [InlineData("429", 429)]
    public async Task Retry_after_comes_with_503_and_429_blocks(string shape, int status)
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BlockAfterRequests = 1, BlockShape = shape, RetryAfterSeconds = 7 });
        using var client = new SiteClient(site);
        await client.TextAsync("/playlist?id=1");
        using var response = await client.GetAsync("/playlist?id=1");
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task Retry_after_is_not_sent_with_http_200_blocks()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BlockAfterRequests = 1, BlockShape = "460", RetryAfterSeconds = 7 });
        using var client = new SiteClient(site);
        await client.TextAsync("/playlist?id=1");
        using var response = await client.GetAsync("/playlist?id=1");
        Assert.Null(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Rotation_stays_the_default_and_its_503_gets_retry_after_too()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BlockAfterRequests = 1, BlockForSeconds = 30, RetryAfterSeconds = 3 });
        using var client = new SiteClient(site);
        await client.TextAsync("/playlist?id=1");
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.GetAsync("/playlist?id=1");
            statuses.Add((int)response.StatusCode);
            Assert.Equal(response.StatusCode == HttpStatusCode.ServiceUnavailable, response.Headers.RetryAfter is not null);
        }
        Assert.Equal([200, 200, 503, 200, 200, 200], statuses);
        Assert.Equal(6, site.Log.ByOutcome()["blocked"]);
    }
}
