using FunctionsCrawler.Functions.Status;
using FunctionsCrawler.Progress;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Xunit;

namespace FunctionsCrawler.Functions.Tests;

public class DurableProgressSinkTests
{
    private readonly DurableClients _clients = new();
    private readonly RecordingEntityClient _entities = new();
    private DurableProgressSink Sink => new(_clients);

    [Fact]
    public async Task Signals_go_to_the_crawls_CrawlStatus_entity_as_apply()
    {
        var e = ProgressEvent.PageDone("说唱", 0, 2, DateTimeOffset.UnixEpoch);
        _clients.Keep(new FakeDurableClient(_entities));
        await Sink.SignalAsync("crawl-1", e);

        var (id, operation, input) = Assert.Single(_entities.Signals);
        Assert.Equal(new EntityInstanceId("CrawlStatus", "crawl-1"), id);
        Assert.Equal("apply", operation);
        Assert.Same(e, input);
    }

    [Fact]
    public async Task A_batch_goes_to_the_entity_as_one_applyAll_operation()
    {
        _clients.Keep(new FakeDurableClient(_entities));
        ProgressEvent[] batch = [ProgressEvent.PageDone("说唱", 0, 2, DateTimeOffset.UnixEpoch), ProgressEvent.PageDone("说唱", 1, 3, DateTimeOffset.UnixEpoch)];
        await Sink.SignalAllAsync("crawl-1", batch);

        var (id, operation, input) = Assert.Single(_entities.Signals);
        Assert.Equal(new EntityInstanceId("CrawlStatus", "crawl-1"), id);
        Assert.Equal("applyAll", operation);
        Assert.Equal(batch, Assert.IsAssignableFrom<IEnumerable<ProgressEvent>>(input));
    }

    [Fact]
    public async Task Reading_a_crawl_without_an_entity_gives_null()
    {
        _clients.Keep(new FakeDurableClient(_entities));
        Assert.Null(await Sink.ReadAsync("crawl-1"));
    }

    [Fact]
    public async Task Reading_returns_the_entity_state()
    {
        _entities.States[new EntityInstanceId("CrawlStatus", "crawl-1")] = new CrawlProgress { CrawlId = "crawl-1" };
        _clients.Keep(new FakeDurableClient(_entities));
        Assert.Equal("crawl-1", (await Sink.ReadAsync("crawl-1"))?.CrawlId);
    }

    [Fact]
    public async Task Before_any_function_bound_a_client_the_sink_names_the_missing_binding()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Sink.SignalAsync("crawl-1", ProgressEvent.Error("x", DateTimeOffset.UnixEpoch)));
        Assert.Contains("[DurableClient]", error.Message);
    }

    [Fact]
    public async Task The_kept_client_outlives_the_invocation_that_bound_it()
    {
        // What lets the progress store flush between invocations: the invocation's own flow has ended here.
        await Task.Run(() => _clients.Keep(new FakeDurableClient(_entities)));
        await Sink.SignalAsync("crawl-1", ProgressEvent.Error("x", DateTimeOffset.UnixEpoch));
        Assert.Single(_entities.Signals);
    }

    [Fact]
    public void A_missing_client_does_not_replace_the_kept_one()
    {
        var client = new FakeDurableClient(_entities);
        _clients.Keep(client);
        _clients.Keep(null);
        Assert.Same(client, _clients.Client);
    }

    private sealed class RecordingEntityClient() : DurableEntityClient("test")
    {
        public List<(EntityInstanceId Id, string Operation, object? Input)> Signals { get; } = [];
        public Dictionary<EntityInstanceId, object> States { get; } = [];

        public override Task SignalEntityAsync(EntityInstanceId id, string operationName, object? input = null,
            SignalEntityOptions? options = null, CancellationToken cancellation = default)
        {
            Signals.Add((id, operationName, input));
            return Task.CompletedTask;
        }

        public override Task<EntityMetadata<T>?> GetEntityAsync<T>(EntityInstanceId id, bool includeState = true, CancellationToken cancellation = default) =>
            Task.FromResult(States.TryGetValue(id, out var state) ? new EntityMetadata<T>(id, (T)state) : null);

        public override Task<EntityMetadata?> GetEntityAsync(EntityInstanceId id, bool includeState = true, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override AsyncPageable<EntityMetadata> GetAllEntitiesAsync(EntityQuery? filter = null) => throw new NotSupportedException();

        public override AsyncPageable<EntityMetadata<T>> GetAllEntitiesAsync<T>(EntityQuery? filter = null) => throw new NotSupportedException();

        public override Task<CleanEntityStorageResult> CleanEntityStorageAsync(CleanEntityStorageRequest? request = null,
            bool continueUntilComplete = true, CancellationToken cancellation = default) => throw new NotSupportedException();
    }

    /// <summary>Only <see cref="Entities"/> is used by the sink.</summary>
    private sealed class FakeDurableClient(DurableEntityClient entities) : DurableTaskClient("test")
    {
        public override DurableEntityClient Entities { get; } = entities;

        public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null,
            StartOrchestrationOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotSupportedException();

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
