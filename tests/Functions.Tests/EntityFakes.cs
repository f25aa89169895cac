using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Functions.Tests;

/// <summary>
/// Runs entity operations with no host: state and inputs go through the worker's own serializer
/// as JSON between operations, as the Durable extension stores them.
/// </summary>
public sealed class EntityHarness(string entityName, string key)
{
    /// <summary>The serializer the isolated worker configures (Durable wraps it as its data converter).</summary>
    public static ObjectSerializer WorkerSerializer { get; } = FunctionsApplication.CreateBuilder([]).Build()
        .Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer!;

    private readonly FakeEntityState _state = new();
    private readonly FakeEntityContext _context = new(new EntityInstanceId(entityName, key));

    public string? StateJson => _state.Json;

    public ValueTask<object?> RunAsync(ITaskEntity entity, string operation, object? input) =>
        entity.RunAsync(new FakeOperation(operation, input is null ? null : Serialize(input), _context, _state));

    public T? State<T>() => _state.Json is null ? default : (T?)Deserialize(_state.Json, typeof(T));

    private static string Serialize(object value) => WorkerSerializer.Serialize(value, value.GetType(), default).ToString();

    private static object? Deserialize(string json, Type type) =>
        WorkerSerializer.Deserialize(BinaryData.FromString(json).ToStream(), type, default);

    private sealed class FakeEntityState : TaskEntityState
    {
        public string? Json { get; private set; }
        public override bool HasState => Json is not null;
        public override object? GetState(Type type) => Json is null ? null : Deserialize(Json, type);
        public override void SetState(object? state) => Json = state is null ? null : Serialize(state);
    }

    private sealed class FakeEntityContext(EntityInstanceId id) : TaskEntityContext
    {
        public override EntityInstanceId Id { get; } = id;

        public override void SignalEntity(EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null) =>
            throw new NotSupportedException("The status entity signals no other entity.");

        public override string ScheduleNewOrchestration(TaskName name, object? input = null, StartOrchestrationOptions? options = null) =>
            throw new NotSupportedException("The status entity starts no orchestration.");
    }

    private sealed class FakeOperation(string name, string? inputJson, TaskEntityContext context, TaskEntityState state) : TaskEntityOperation
    {
        public override string Name { get; } = name;
        public override TaskEntityContext Context { get; } = context;
        public override TaskEntityState State { get; } = state;
        public override bool HasInput => inputJson is not null;
        public override object? GetInput(Type inputType) => inputJson is null ? null : Deserialize(inputJson, inputType);
    }
}
