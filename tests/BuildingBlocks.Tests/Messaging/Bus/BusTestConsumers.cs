using System.Diagnostics;
using Egov.Steering.Events.V1;
using MassTransit;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging.Bus;

/// <summary>An event as a consumer saw it: the message, MassTransit's message id, the headers and the trace.</summary>
public sealed record ReceivedEvent(
    EventEnvelope Message, Guid? MessageId, IReadOnlyDictionary<string, object> Headers, ActivityTraceId? TraceId);

public sealed class RecordingConsumer(Deliveries deliveries) : IConsumer<EventEnvelope>
{
    public Task Consume(ConsumeContext<EventEnvelope> context)
    {
        deliveries.Report(context.Message.Id, new ReceivedEvent(
            context.Message,
            context.MessageId,
            context.Headers.GetAll().ToDictionary(header => header.Key, header => header.Value),
            Activity.Current?.TraceId));
        return Task.CompletedTask;
    }
}

/// <summary>A dependency of <see cref="FailingConsumer"/> that is down until the test brings it back.</summary>
public sealed class Outage
{
    public volatile bool Down = true;

    public string? EventId { get; set; }
}

/// <summary>Fails on the test's event for as long as the outage lasts; ignores the events of other tests.</summary>
public sealed class FailingConsumer(Deliveries deliveries, Outage outage) : IConsumer<EventEnvelope>
{
    public Task Consume(ConsumeContext<EventEnvelope> context)
    {
        if (context.Message.Id != outage.EventId)
        {
            return Task.CompletedTask;
        }

        if (outage.Down)
        {
            throw new InvalidOperationException("the committee register is unavailable");
        }

        deliveries.Report(context.Message.Id, new ReceivedEvent(
            context.Message, context.MessageId, context.Headers.GetAll().ToDictionary(h => h.Key, h => h.Value), null));
        return Task.CompletedTask;
    }
}

public sealed class FaultConsumer(Deliveries deliveries) : IConsumer<Fault<EventEnvelope>>
{
    public Task Consume(ConsumeContext<Fault<EventEnvelope>> context)
    {
        deliveries.Report("fault:" + context.Message.Message.Id, context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>The message <see cref="HoldingConsumer"/> holds, and the gates the test opens and waits on.</summary>
public sealed class Hold
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? EventId { get; set; }

    /// <summary>Completes once the held message's first delivery is being handled.</summary>
    public Task Started => _started.Task;

    public void Release() => _released.TrySetResult();

    internal async Task<bool> HoldAsync(string eventId)
    {
        if (eventId != EventId || !_started.TrySetResult())
        {
            return false;
        }

        await _released.Task;
        return true;
    }
}

/// <summary>Keeps the first delivery of the held message in hand until the test releases it; reports every other.</summary>
public sealed class HoldingConsumer(Deliveries deliveries, Hold hold) : IConsumer<EventEnvelope>
{
    public async Task Consume(ConsumeContext<EventEnvelope> context)
    {
        if (await hold.HoldAsync(context.Message.Id))
        {
            return;
        }

        deliveries.Report(context.Message.Id, new ReceivedEvent(
            context.Message, context.MessageId, context.Headers.GetAll().ToDictionary(h => h.Key, h => h.Value), null));
    }
}

/// <summary>A PostgreSQL of the test's own, with the table <see cref="RecordingToDatabaseConsumer"/> writes to.</summary>
public sealed record ConsumerDatabase(string ConnectionString);

/// <summary>Records each event in <see cref="ConsumerDatabase"/>, as a service's inbox does, before reporting it.</summary>
public sealed class RecordingToDatabaseConsumer(Deliveries deliveries, ConsumerDatabase database) : IConsumer<EventEnvelope>
{
    public async Task Consume(ConsumeContext<EventEnvelope> context)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(context.CancellationToken);
        await using var insert = new Npgsql.NpgsqlCommand("INSERT INTO received (id) VALUES ($1) ON CONFLICT DO NOTHING", connection);
        insert.Parameters.AddWithValue(context.Message.Id);
        await insert.ExecuteNonQueryAsync(context.CancellationToken);
        deliveries.Report(context.Message.Id, context.Message);
    }
}
