using System.Globalization;
using CloudNative.CloudEvents;
using Egov.Steering.Events.V1;
using MassTransit;

namespace Egov.Steering.Messaging.CloudEvents;

/// <summary>
/// The CloudEvents attributes of an <see cref="EventEnvelope"/> as message headers, named as the CloudEvents AMQP
/// protocol binding names application properties in binary content mode (<c>cloudEvents:</c> + attribute name), so
/// a consumer in any language can route and filter on them without decoding the body.
/// </summary>
public static class CloudEventHeaders
{
    public const string Prefix = "cloudEvents:";
    public const string SpecVersionValue = "1.0";

    public static readonly string Id = Prefix + CloudEventsSpecVersion.V1_0.IdAttribute.Name;
    public static readonly string Type = Prefix + CloudEventsSpecVersion.V1_0.TypeAttribute.Name;
    public static readonly string Source = Prefix + CloudEventsSpecVersion.V1_0.SourceAttribute.Name;
    public static readonly string Subject = Prefix + CloudEventsSpecVersion.V1_0.SubjectAttribute.Name;
    public static readonly string Time = Prefix + CloudEventsSpecVersion.V1_0.TimeAttribute.Name;
    public static readonly string SpecVersion = Prefix + CloudEventsSpecVersion.SpecVersionAttribute.Name;
    public static readonly string DataContentType = Prefix + CloudEventsSpecVersion.V1_0.DataContentTypeAttribute.Name;

    /// <summary>The CloudEvents distributed-tracing extension's attributes (the envelope's trace context).</summary>
    public static readonly string TraceParent = Prefix + "traceparent";
    public static readonly string TraceState = Prefix + "tracestate";

    /// <summary>
    /// The headers of one event; the outbox stores them with the row so that a relayed message carries exactly
    /// what was committed. <c>time</c> is an RFC 3339 string: AMQP 0-9-1 timestamps only hold whole seconds.
    /// </summary>
    public static IReadOnlyDictionary<string, string> From(EventEnvelope envelope)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Id] = envelope.Id,
            [Type] = envelope.Type,
            [Source] = envelope.Source,
            [SpecVersion] = SpecVersionValue,
            [DataContentType] = ProtobufContentTypes.MediaType,
        };
        if (envelope.Subject.Length > 0)
        {
            headers[Subject] = envelope.Subject;
        }

        if (envelope.Time is not null)
        {
            headers[Time] = envelope.Time.ToDateTime().ToString("O", CultureInfo.InvariantCulture);
        }

        if (envelope.Traceparent.Length > 0)
        {
            headers[TraceParent] = envelope.Traceparent;
        }

        if (envelope.Tracestate.Length > 0)
        {
            headers[TraceState] = envelope.Tracestate;
        }

        return headers;
    }

    /// <summary>Sets the CloudEvents headers of <paramref name="envelope"/> on an outgoing message.</summary>
    public static void Set(SendHeaders headers, EventEnvelope envelope) => Set(headers, From(envelope));

    /// <summary>Sets stored headers (e.g. an outbox row's) on an outgoing message.</summary>
    public static void Set(SendHeaders headers, IReadOnlyDictionary<string, string> values)
    {
        foreach (var (name, value) in values)
        {
            headers.Set(name, value);
        }
    }
}
