using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// A web page in the user's browser must not drive the local host: other Host names (DNS rebinding) are refused,
/// and POST routes take only JSON bodies, which a page cannot send cross-site without a preflight.
/// </summary>
public sealed class LocalRequestTests(AzuriteFixture azurites) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Host_headers_other_than_this_machine_are_refused_and_posts_take_json_only()
    {
        var azurite = azurites.NewAccount();
        await using var host = HostProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        using var http = new HttpClient { BaseAddress = host.BaseUrl };
        await WaitUntilListeningAsync(http, host);

        foreach (var name in new[] { "127.0.0.1", "localhost", "LOCALHOST", "[::1]" })
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "api/dashboard", $"{name}:{host.Port}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "api/dashboard", "localhost")).StatusCode);
        foreach (var name in new[] { "attacker.example", $"attacker.example:{host.Port}", "127.0.0.1.attacker.example", "localhost.attacker.example" })
            Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(http, HttpMethod.Get, "api/status", name)).StatusCode);

        // What a page can send without a preflight: a form, plain text, or nothing; each is refused before any work.
        var refused = new List<HttpContent?>
        {
            null,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["categories"] = "说唱" }),
            new StringContent("""{"categories":["说唱"]}""", Encoding.UTF8, "text/plain"),
            new StringContent("""{"categories":["说唱"]}""", Encoding.UTF8, "multipart/form-data"),
        };
        foreach (var content in refused)
        {
            foreach (var path in new[] { "api/crawls", "api/crawls/20261127-081428-942d/requeue-failed" })
            {
                var response = await http.PostAsync(path, content);
                var body = await response.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
                Assert.DoesNotContain('\n', body);
                Assert.Contains("application/json", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
            }
        }
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/status")).StatusCode); // nothing was started

        // JSON is accepted (here: an unknown crawl, so 404 from the route itself).
        var json = new StringContent("{}", Encoding.UTF8);
        json.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("api/crawls/20261127-081428-942d/requeue-failed", json)).StatusCode);
    }

    private static async Task WaitUntilListeningAsync(HttpClient http, HostProcess host)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync("api/dashboard")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until && !host.HasExited) { }
            if (DateTime.UtcNow >= until || host.HasExited) throw new TimeoutException($"host never listened:\n{host.Output}");
            await Task.Delay(250);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string hostHeader)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = hostHeader;
        return await http.SendAsync(request);
    }
}
