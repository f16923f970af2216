using Egov.Steering.Events.V1;
using Egov.Steering.Messaging;
using MassTransit;

namespace Egov.Steering.Notifications.Events;

/// <summary>
/// The log's consumer on the bus (its queue is named after it): a committee's events delivered while its earlier ones
/// are being appended are appended together next, in one transaction, each as alone (<see cref="EventLogHandler"/>).
/// </summary>
public sealed class EventLogConsumer(
    IServiceProvider services, [FromKeyedServices(typeof(EventLogConsumer))] KeyedBatches<ConsumeContext<EventEnvelope>> batches)
    : IConsumer<EventEnvelope>
{
    public Task Consume(ConsumeContext<EventEnvelope> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return services.GetRequiredService<EventLogHandler>().ConsumeBatchedAsync(context, PartitionKey(context.Message), batches);
    }

    /// <summary>The key that keeps a committee's events in arrival order while other committees' are appended alongside.</summary>
    public static string PartitionKey(EventEnvelope message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Committee.Length > 0 ? message.Committee : message.Aggregate;
    }
}
