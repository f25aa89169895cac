using FunctionsCrawler.Logging;
using System.Text.Json;
using Azure.Storage.Queues;
using FunctionsCrawler.Api;
using FunctionsCrawler.Configuration;
using FunctionsCrawler.Hosting;
using FunctionsCrawler.Pipeline;
using FunctionsCrawler.Progress;
using FunctionsCrawler.Sandbox;
using FunctionsCrawler.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FunctionsCrawler.HostContract.Tests;

/// <summary>Storage and a site shared by the contract's cases; each case empties the storage first.</summary>
public sealed class ContractFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;
    public SandboxSite Site { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 11, PagesPerCategory = 1, DeletedRate = 0 });
    }

    public async Task DisposeAsync()
    {
        await Site.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

/// <summary>
/// One behaviour in both hosts: every case runs against the WebJobs host's and the Functions app's service containers
/// (each built with its own registrations), so a host that drifts from the core — its own error text, a status read
/// without retries, signals without batching, another host.json reader — fails here.
/// </summary>
public sealed class HostContractTests(ContractFixture fixture) : IClassFixture<ContractFixture>, IAsyncLifetime
{
    public static TheoryData<string> Hosts => new() { HostUnderTest.WebJobs, HostUnderTest.Functions };

    private readonly List<HostUnderTest> _hosts = [];

    public async Task InitializeAsync()
    {
        // An empty account for each case: the latest crawl, overlaps and the registry start from nothing.
        var storage = StorageClients.FromConfiguration(new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageClients.ConnectionName] = fixture.Azurite.ConnectionString }).Build());
        await foreach (var table in storage.Tables.QueryAsync()) await storage.Tables.DeleteTableAsync(table.Name);
        await foreach (var queue in storage.Queues.GetQueuesAsync()) await storage.Queues.DeleteQueueAsync(queue.Name);
        await foreach (var container in storage.Blobs.GetBlobContainersAsync()) await storage.Blobs.DeleteBlobContainerAsync(container.Name);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
    }

    private Dictionary<string, string> Settings(string? baseUrl = null) => new()
    {
        ["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString,
        ["NetEase:BaseUrl"] = baseUrl ?? fixture.Site.BaseUrl.ToString(),
        ["NetEase:RequestsPerSecond"] = "100",
        ["NetEase:RetryDelaySeconds"] = "0",
        ["NetEase:ReadTimeoutSeconds"] = "5",
        ["Crawler:Categories"] = "说唱",
        ["Crawler:MaxPages"] = "1",
        ["Crawler:StallSeconds"] = "1",
        // The tests flush the progress store themselves (FlushAsync): its own timer would race them for the batches.
        ["ProgressStore:FlushEvery"] = "01:00:00",
        ["ProgressStore:FirstFlushAfter"] = "01:00:00",
    };

    private async Task<HostUnderTest> StartAsync(string name, Dictionary<string, string>? settings = null, TimeProvider? time = null)
    {
        var host = HostUnderTest.Create(name, settings ?? Settings(), time);
        _hosts.Add(host);
        await host.Services.GetRequiredService<StartupCheck>().CheckAsync(CancellationToken.None);
        return host;
    }

    private static JsonElement Json(Answer answer)
    {
        Assert.StartsWith("application/json", answer.ContentType);
        return JsonDocument.Parse(answer.Body).RootElement;
    }

    private static string Error(Answer answer) => Json(answer).GetProperty("error").GetString()!;

    private static async Task<string> StartCrawlAsync(HostUnderTest host, string body = """{"categories":["说唱"],"maxPages":1}""")
    {
        var answer = await host.CallAsync("POST", "crawls", contentType: "application/json", body: body);
        Assert.True(answer.Status == 202, answer.Body);
        return Json(answer).GetProperty("crawlId").GetString()!;
    }

    private static Task<bool> FlushAsync(HostUnderTest host) => host.Services.GetRequiredService<BatchingProgressSink>().FlushAsync(CancellationToken.None);

    /// <summary>Delivers the queued work to the host's trigger entry points until none is left, as the queue listener would.</summary>
    private static async Task PumpAsync(HostUnderTest host)
    {
        var queues = host.Services.GetRequiredService<CrawlQueues>();
        for (var round = 0; round < 200; round++)
        {
            var delivered = false;
            foreach (var (queue, run) in new (QueueClient, Func<string, long, Task>)[]
                     { (queues.PagesQueue, host.ScrapeListPageAsync), (queues.PlaylistsQueue, host.ScrapePlaylistAsync) })
            {
                var messages = (await queue.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(30))).Value;
                foreach (var message in messages)
                {
                    await run(message.MessageText, message.DequeueCount);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    delivered = true;
                }
            }
            if (!delivered) return;
        }
        throw new InvalidOperationException("the queues did not drain");
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Both_hosts_wire_the_cores_progress_store_start_up_check_and_host_json(string name)
    {
        var settings = Settings();
        settings.Remove("ProgressStore:FlushEvery"); // the defaults, as a deploy without these settings has them
        settings.Remove("ProgressStore:FirstFlushAfter");
        var host = await StartAsync(name, settings);
        var sink = Assert.IsType<BatchingProgressSink>(host.Services.GetRequiredService<ICrawlProgressSink>());
        Assert.Same(host.Entities, sink.Inner);
        Assert.Equal("DurableProgressSink", host.HostEntitySink?.Name);
        Assert.Contains(typeof(StartupCheck), host.Registered);
        Assert.Equal(HostJson.Load(Repo.Root, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).MaxDequeueCount,
            host.Services.GetRequiredService<HostJson>().MaxDequeueCount);
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProgressStoreOptions>>().Value;
        Assert.Equal((TimeSpan.FromSeconds(1), 3), (options.FlushEvery, options.ReadTries));
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Before_the_first_crawl_the_routes_say_so(string name)
    {
        var host = await StartAsync(name);

        var status = await host.CallAsync("GET", "status");
        Assert.Equal(404, status.Status);
        Assert.Equal("""{"error":"No crawl has been started yet: POST /api/crawls or run ./run.sh."}""", status.Body);

        var csv = await host.CallAsync("GET", "playlists.csv");
        Assert.Equal(404, csv.Status);
        Assert.Equal(ApiErrors.NoCrawlYet, Error(csv));

        var list = Json(await host.CallAsync("GET", "crawls"));
        Assert.Equal(0, list.GetProperty("crawls").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("continuation").ValueKind);

        var dashboard = await host.CallAsync("GET", "dashboard");
        Assert.Equal(200, dashboard.Status);
        Assert.Equal("text/html; charset=utf-8", dashboard.ContentType);
        Assert.Equal(Dashboard.DashboardPage.Html, dashboard.Body);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Starting_a_crawl_answers_202_409_and_400_alike(string name)
    {
        var host = await StartAsync(name);

        var started = await host.CallAsync("POST", "crawls", contentType: "application/json", body: """{"categories":["说唱"],"maxPages":1}""");
        Assert.Equal(202, started.Status);
        var crawlId = Json(started).GetProperty("crawlId").GetString()!;
        Assert.Equal($"/api/crawls/{crawlId}", Json(started).GetProperty("statusUri").GetString());

        // No body: the configured categories (说唱), which the first crawl still covers.
        var overlap = await host.CallAsync("POST", "crawls", contentType: "application/json");
        Assert.Equal(409, overlap.Status);
        Assert.Equal(crawlId, Json(overlap).GetProperty("crawlId").GetString());
        Assert.StartsWith($"Not started: crawl {crawlId} (running, started ", Error(overlap));

        var badJson = await host.CallAsync("POST", "crawls", contentType: "application/json", body: "{categories:");
        Assert.Equal(400, badJson.Status);
        Assert.StartsWith("Body is not valid JSON: ", Error(badJson));
        Assert.DoesNotContain('\n', badJson.Body);

        var badValue = await host.CallAsync("POST", "crawls", contentType: "application/json", body: """{"categories":["华语"],"maxPages":-1}""");
        Assert.Equal(400, badValue.Status);
        Assert.Equal("Crawler__MaxPages must be 0 (all) or more, got -1.", Error(badValue));
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Posts_that_do_not_say_json_are_refused_with_415_before_any_work(string name)
    {
        var host = await StartAsync(name);
        foreach (var (contentType, body) in new (string?, string?)[] { (null, null), ("text/plain", """{"categories":["说唱"]}"""), ("application/x-www-form-urlencoded", "a=1") })
        {
            foreach (var (route, values) in new (string, Dictionary<string, string>?)[] { ("crawls", null), ("crawls/{crawlId}/requeue-failed", new() { ["crawlId"] = "x" }) })
            {
                var answer = await host.CallAsync("POST", route, values, contentType: contentType, body: body);
                Assert.Equal(415, answer.Status);
                Assert.Equal(JsonRequests.RejectedMessage, Error(answer));
                Assert.DoesNotContain('\n', answer.Body);
            }
        }
        Assert.Equal(0, Json(await host.CallAsync("GET", "crawls")).GetProperty("crawls").GetArrayLength()); // nothing was started
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Crawl_routes_answer_one_crawl_pages_of_crawls_and_bad_values_alike(string name)
    {
        var host = await StartAsync(name);
        var crawlId = await StartCrawlAsync(host);
        await FlushAsync(host);

        var one = Json(await host.CallAsync("GET", "crawls/{crawlId}", new Dictionary<string, string> { ["crawlId"] = crawlId }));
        Assert.Equal(crawlId, one.GetProperty("crawlId").GetString());
        Assert.Equal("running", one.GetProperty("state").GetString());

        var missing = await host.CallAsync("GET", "crawls/{crawlId}", new Dictionary<string, string> { ["crawlId"] = "nope" });
        Assert.Equal(404, missing.Status);
        Assert.Equal("No crawl 'nope'.", Error(missing));

        var page = Json(await host.CallAsync("GET", "crawls", query: "top=1"));
        Assert.Equal(crawlId, page.GetProperty("crawls")[0].GetProperty("crawlId").GetString());

        var badTop = await host.CallAsync("GET", "crawls", query: "top=0");
        Assert.Equal(400, badTop.Status);
        Assert.Equal("top must be a whole number from 1 to 20, got '0'.", Error(badTop)); // anonymous: more than 20 reads as 20

        var badContinuation = await host.CallAsync("GET", "crawls", query: "continuation=%25%25");
        Assert.Equal(400, badContinuation.Status);
        Assert.EndsWith("pass the continuation of the previous page as it was, or none for the first page.", Error(badContinuation));

        var requeueMissing = await host.CallAsync("POST", "crawls/{crawlId}/requeue-failed", new Dictionary<string, string> { ["crawlId"] = "nope" },
            contentType: "application/json", body: "{}");
        Assert.Equal(404, requeueMissing.Status);
        Assert.Equal("No crawl 'nope'.", Error(requeueMissing));

        var requeued = await host.CallAsync("POST", "crawls/{crawlId}/requeue-failed", new Dictionary<string, string> { ["crawlId"] = crawlId },
            contentType: "application/json", body: "{}");
        Assert.Equal(202, requeued.Status);
        Assert.Equal(0, Json(requeued).GetProperty("requeued").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_crawl_run_through_the_hosts_triggers_completes_in_few_batched_signals_and_exports(string name)
    {
        var host = await StartAsync(name);
        var crawlId = await StartCrawlAsync(host);
        await PumpAsync(host);
        await FlushAsync(host);

        var status = Json(await host.CallAsync("GET", "status"));
        Assert.Equal("completed", status.GetProperty("state").GetString());
        var done = status.GetProperty("playlists").GetProperty("done").GetInt32();
        Assert.True(done > 10, $"{done} playlists done");

        // Every event reached the entity in a batch, stamped with its id: a handful of operations, not one per event.
        var operations = host.Entities.Operations.Where(o => o.CrawlId == crawlId).ToList();
        Assert.All(operations, o => Assert.NotNull(o.BatchId));
        Assert.True(operations.Count < operations.Sum(o => o.Events), $"{operations.Count} operations for {operations.Sum(o => o.Events)} events");

        var csv = await host.CallAsync("GET", "playlists.csv");
        Assert.Equal(200, csv.Status);
        Assert.Equal("text/csv; charset=utf-8", csv.ContentType);
        Assert.Equal("attachment; filename=\"playlists.csv\"", csv.Headers.ContentDisposition.ToString());
        var rows = csv.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\uFEFFplaylist_id,category,", rows[0]);

        var byId = await host.CallAsync("GET", "playlists.csv", query: $"crawlId={crawlId}&category=");
        Assert.Equal(csv.Body, byId.Body);
        var otherCategory = await host.CallAsync("GET", "playlists.csv", query: "category=" + Uri.EscapeDataString("华语"));
        Assert.Single(otherCategory.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        var unknown = await host.CallAsync("GET", "playlists.csv", query: "crawlId=nope");
        Assert.Equal(404, unknown.Status);
        Assert.Equal("No crawl 'nope'.", Error(unknown));
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Only_the_last_try_of_a_page_the_site_never_answers_counts_it_failed(string name)
    {
        var host = await StartAsync(name, Settings(baseUrl: $"http://127.0.0.1:{FreePort.Next()}"));
        var crawlId = await StartCrawlAsync(host);
        var message = JsonSerializer.Serialize(new PageWork(crawlId, "说唱", 0, 1), CrawlQueues.Json);
        var lastTry = host.Services.GetRequiredService<HostJson>().MaxDequeueCount;

        await Assert.ThrowsAsync<CrawlStepException>(() => host.ScrapeListPageAsync(message, 1));
        await FlushAsync(host);
        Assert.Equal(0, host.Entities.State(crawlId)!.Counts["说唱"].PagesFailed);

        await Assert.ThrowsAsync<CrawlStepException>(() => host.ScrapeListPageAsync(message, lastTry));
        await FlushAsync(host);
        Assert.Equal(1, host.Entities.State(crawlId)!.Counts["说唱"].PagesFailed);
        var status = Json(await host.CallAsync("GET", "crawls/{crawlId}", new Dictionary<string, string> { ["crawlId"] = crawlId }));
        Assert.Contains("page 1 of 说唱", status.GetProperty("lastError").GetString());
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_status_that_cannot_be_read_is_retried_then_a_503_in_one_line(string name)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = await StartAsync(name, time: time);
        var crawlId = await StartCrawlAsync(host);
        await FlushAsync(host);

        host.Entities.FailReads(crawlId, 2); // two failures: the third try answers
        Assert.Equal(200, (await host.CallAsync("GET", "status")).Status);

        time.Advance(StatusReadCache.Lifetime); // past the routes' cache of that answer
        host.Entities.FailReads(crawlId, 100);
        var reads = host.Entities.Reads.Count;
        foreach (var (route, values) in new (string, Dictionary<string, string>?)[]
                 { ("status", null), ("crawls/{crawlId}", new() { ["crawlId"] = crawlId }), ("crawls", null) })
        {
            var answer = await host.CallAsync("GET", route, values);
            Assert.Equal(503, answer.Status);
            Assert.Equal($"The crawl's status cannot be read right now; try again shortly (entity {crawlId} could not be read).", Error(answer));
            Assert.DoesNotContain('\n', answer.Body);
        }
        Assert.Equal(reads + 9, host.Entities.Reads.Count); // three tries for each route
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_signal_that_failed_after_arriving_is_sent_again_and_applied_once(string name)
    {
        var host = await StartAsync(name);
        var crawlId = await StartCrawlAsync(host);
        Assert.True(await FlushAsync(host));
        await host.Services.GetRequiredService<ICrawlProgressSink>().SignalAsync(crawlId, ProgressEvent.PageDone("说唱", 0, 7, DateTimeOffset.UtcNow));
        host.Entities.FailSignals(1, afterApplying: true);
        Assert.False(await FlushAsync(host));
        Assert.True(await FlushAsync(host));

        var operations = host.Entities.Operations.Where(o => o.CrawlId == crawlId).ToList();
        Assert.Equal(3, operations.Count);
        Assert.Equal(operations[1].BatchId, operations[2].BatchId); // the same batch, sent again
        var status = Json(await host.CallAsync("GET", "status"));
        Assert.Equal(7, status.GetProperty("playlists").GetProperty("discovered").GetInt32()); // applied once
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Status_routes_read_the_entity_once_in_a_few_seconds(string name)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = await StartAsync(name, time: time);
        var crawlId = await StartCrawlAsync(host);
        await FlushAsync(host);

        var reads = host.Entities.Reads.Count;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, (await host.CallAsync("GET", "status")).Status);
            Assert.Equal(200, (await host.CallAsync("GET", "crawls", query: "top=100")).Status);
            Assert.Equal(200, (await host.CallAsync("GET", "crawls/{crawlId}", new Dictionary<string, string> { ["crawlId"] = crawlId })).Status);
        }
        Assert.Equal(reads + 1, host.Entities.Reads.Count);
        time.Advance(StatusReadCache.Lifetime);
        Assert.Equal(200, (await host.CallAsync("GET", "status")).Status);
        Assert.Equal(reads + 2, host.Entities.Reads.Count);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_registered_hostile_category_ends_its_crawl_failed_once_and_its_work_is_never_sent(string name)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = await StartAsync(name, time: time);
        // Written as a registry before the name check would have written it.
        var crawls = host.Services.GetRequiredService<CrawlTable>();
        var hostile = new CrawlInfo(CrawlTable.NewCrawlId(time.GetUtcNow()), ["说唱\nfoo", "a\0b", "\u001b[31m"], 1, time.GetUtcNow(), "http")
        {
            Site = host.Services.GetRequiredService<IOptions<NetEaseOptions>>().Value.Site,
        };
        await crawls.AddAsync(hostile, default);
        time.Advance(TimeSpan.FromSeconds(1.5));

        await host.ResumeStalledAsync();
        await host.ResumeStalledAsync();
        await FlushAsync(host);

        var ended = await crawls.GetAsync(hostile.CrawlId, default);
        Assert.Equal(CrawlInfo.Failed, ended!.State);
        Assert.StartsWith("not crawled: categories[0] ('说唱␊foo') is not a category name: it holds a line break", ended.FailedReason);
        Assert.Single(host.Entities.Kinds(hostile.CrawlId), ProgressEventKind.CrawlFailed);
        Assert.DoesNotContain(ProgressEventKind.Resumed, host.Entities.Kinds(hostile.CrawlId));
        var status = Json(await host.CallAsync("GET", "crawls/{crawlId}", new Dictionary<string, string> { ["crawlId"] = hostile.CrawlId }));
        Assert.Equal("failed", status.GetProperty("state").GetString());
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task The_stall_check_skips_a_crawl_it_cannot_read_and_resumes_the_others(string name)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = await StartAsync(name, time: time);
        var unreadable = await StartCrawlAsync(host, """{"categories":["说唱"],"maxPages":1}""");
        var stalled = await StartCrawlAsync(host, """{"categories":["华语"],"maxPages":1}""");
        await FlushAsync(host);
        time.Advance(TimeSpan.FromSeconds(1.5)); // Crawler:StallSeconds = 1

        host.Entities.FailReads(unreadable, 100);
        await host.ResumeStalledAsync();
        await FlushAsync(host);

        Assert.Contains(ProgressEventKind.Resumed, host.Entities.Kinds(stalled));
        Assert.DoesNotContain(ProgressEventKind.Resumed, host.Entities.Kinds(unreadable));
    }

    public static TheoryData<string, string, string, string> BadSettings
    {
        get
        {
            var data = new TheoryData<string, string, string, string>();
            foreach (var host in new[] { HostUnderTest.WebJobs, HostUnderTest.Functions })
            {
                data.Add(host, "NetEase:RequestsPerSecond", "-3", "NetEase__RequestsPerSecond");
                data.Add(host, "NetEase:BaseUrl", "ftp://music.163.com", "NetEase__BaseUrl");
                data.Add(host, "NetEase:BaseUrl", "music.163.com", "NetEase__BaseUrl");
                data.Add(host, "Crawler:Categories", " , ", "Crawler__Categories");
                data.Add(host, "Crawler:Categories", "说唱,a\u001b[31mb", "Crawler__Categories[1]"); // --category with an escape: exit 2, one line
                data.Add(host, "Crawler:RetentionDays", "1.5", "Crawler__RetentionDays");
            }
            return data;
        }
    }

    /// <summary>Each bad value in each host: one line naming the setting (the process's exit code 2 is StartupChecksTests').</summary>
    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_fails_the_start_up_check_in_one_line_naming_it(string name, string key, string value, string named)
    {
        var settings = Settings();
        settings[key] = value;
        var host = HostUnderTest.Create(name, settings);
        _hosts.Add(host);
        var error = await Assert.ThrowsAsync<CrawlerConfigurationException>(() => host.Services.GetRequiredService<StartupCheck>().CheckAsync(CancellationToken.None));
        Assert.StartsWith(named + " ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task A_bad_setting_or_storage_fails_the_start_up_check_in_one_line_naming_it(string name)
    {
        var settings = Settings();
        settings["NetEase:RequestsPerSecond"] = "0";
        var host = HostUnderTest.Create(name, settings);
        _hosts.Add(host);
        var error = await Assert.ThrowsAsync<CrawlerConfigurationException>(() => host.Services.GetRequiredService<StartupCheck>().CheckAsync(CancellationToken.None));
        Assert.Equal("NetEase__RequestsPerSecond must be a number above 0, got 0.", error.Message);

        settings = Settings();
        settings["AzureWebJobsStorage"] = "AccountName=acct;AccountKey=not base64 secret!!";
        host = HostUnderTest.Create(name, settings);
        _hosts.Add(host);
        error = Assert.Throws<CrawlerConfigurationException>(() => host.Services.GetRequiredService<StartupCheck>());
        Assert.StartsWith("AzureWebJobsStorage is not a valid storage connection string", error.Message);
        Assert.DoesNotContain("not base64 secret", error.Message);
    }
}
