using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.CloudEvents;
using Google.Protobuf.Reflection;
using MassTransit;
using RabbitMQ.Client;

namespace Egov.Steering.Messaging;

/// <summary>
/// Events routed by type on RabbitMQ: every <see cref="EventEnvelope"/> is published to one headers exchange
/// (<c>&lt;TopologyPrefix.&gt;Egov.Steering.Events.V1:EventEnvelope.by-type</c>), and a consumer that subscribes to some
/// event types has its queue bound to those values of the <c>cloudEvents:type</c> header only, so its service never
/// receives (nor records in its inbox) an event it ignores. A consumer that does not subscribe gets every event (a
/// binding without arguments matches every message). The in-memory bus of the embedded host has no such bindings:
/// there every consumer still receives every event and ignores the others.
/// </summary>
public static class EventRouting
{
    /// <summary>Appended to the event exchange's name: the fan-out exchange of earlier releases kept its name and type.</summary>
    public const string ExchangeSuffix = ".by-type";

    /// <summary>
    /// Binds the endpoint's queue to the given event types only (each the event's protobuf message, whose full name is
    /// the envelope's <c>type</c>), instead of to every event; on the in-memory bus nothing changes.
    /// </summary>
    public static void SubscribeToEvents(this IEndpointRegistrationConfigurator endpoint, params MessageDescriptor[] eventTypes)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(eventTypes);
        endpoint.AddConfigureEndpointCallback(receive =>
        {
            if (receive is not IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                return;
            }

            rabbit.ConfigureConsumeTopology = false;
            foreach (var eventType in eventTypes)
            {
                rabbit.Bind<EventEnvelope>(binding =>
                {
                    binding.ExchangeType = ExchangeType.Headers;
                    binding.SetBindingArgument("x-match", "all");
                    binding.SetBindingArgument(CloudEventHeaders.Type, eventType.FullName);
                });
            }
        });
    }

    /// <summary>Publishes envelopes to the headers exchange (call after the entity names are set).</summary>
    internal static void RouteEventsByType(this IRabbitMqBusFactoryConfigurator cfg)
    {
        var exchange = cfg.MessageTopology.EntityNameFormatter.FormatEntityName<EventEnvelope>() + ExchangeSuffix;
        cfg.Message<EventEnvelope>(message => message.SetEntityName(exchange));
        cfg.Publish<EventEnvelope>(publish => publish.ExchangeType = ExchangeType.Headers);
    }
}
