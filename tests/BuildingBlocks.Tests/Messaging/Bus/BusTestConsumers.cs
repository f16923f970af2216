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
