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

    /// <summary>The prefix of the CloudEvents HTTP protocol binding's headers in binary content mode (webhooks).</summary>
    public const string HttpPrefix = "ce-";

    /// <summary>The extension attribute carrying an event's position in Notifications' log (on its channels only).</summary>
    public const string PositionAttribute = "position";

    private const string TraceParentAttribute = "traceparent";
    private const string TraceStateAttribute = "tracestate";

    public static readonly string Id = Prefix + CloudEventsSpecVersion.V1_0.IdAttribute.Name;
    public static readonly string Type = Prefix + CloudEventsSpecVersion.V1_0.TypeAttribute.Name;
    public static readonly string Source = Prefix + CloudEventsSpecVersion.V1_0.SourceAttribute.Name;
    public static readonly string Subject = Prefix + CloudEventsSpecVersion.V1_0.SubjectAttribute.Name;
    public static readonly string Time = Prefix + CloudEventsSpecVersion.V1_0.TimeAttribute.Name;
    public static readonly string SpecVersion = Prefix + CloudEventsSpecVersion.SpecVersionAttribute.Name;
    public static readonly string DataContentType = Prefix + CloudEventsSpecVersion.V1_0.DataContentTypeAttribute.Name;

    /// <summary>The CloudEvents distributed-tracing extension's attributes (the envelope's trace context).</summary>
    public static readonly string TraceParent = Prefix + TraceParentAttribute;
    public static readonly string TraceState = Prefix + TraceStateAttribute;

    /// <summary>
    /// The headers of one event; the outbox stores them with the row so that a relayed message carries exactly
    /// what was committed. <c>time</c> is an RFC 3339 string: AMQP 0-9-1 timestamps only hold whole seconds.
    /// </summary>
    public static IReadOnlyDictionary<string, string> From(EventEnvelope envelope)
    {
        var headers = AttributesOf(envelope).ToDictionary(attribute => Prefix + attribute.Name, attribute => attribute.Value, StringComparer.Ordinal);
        headers[DataContentType] = ProtobufContentTypes.MediaType;
        return headers;
    }

    /// <summary>
    /// The headers of one event in the HTTP binding (<c>ce-id</c>, <c>ce-type</c>, ...); the request's Content-Type
    /// is its <c>datacontenttype</c>.
    /// </summary>
    public static IEnumerable<(string Name, string Value)> HttpHeadersOf(EventEnvelope envelope) =>
        AttributesOf(envelope).Select(attribute => (HttpPrefix + attribute.Name, attribute.Value));

    // The one place the envelope's fields become CloudEvents attributes; each binding only names them.
    private static IEnumerable<(string Name, string Value)> AttributesOf(EventEnvelope envelope)
    {
        var v1 = CloudEventsSpecVersion.V1_0;
        yield return (v1.IdAttribute.Name, envelope.Id);
        yield return (v1.TypeAttribute.Name, envelope.Type);
        yield return (v1.SourceAttribute.Name, envelope.Source);
        yield return (CloudEventsSpecVersion.SpecVersionAttribute.Name, SpecVersionValue);
        if (envelope.Subject.Length > 0)
        {
            yield return (v1.SubjectAttribute.Name, envelope.Subject);
        }

        if (envelope.Time is not null)
        {
            yield return (v1.TimeAttribute.Name, envelope.Time.ToDateTime().ToString("O", CultureInfo.InvariantCulture));
        }

        if (envelope.Traceparent.Length > 0)
        {
            yield return (TraceParentAttribute, envelope.Traceparent);
        }

        if (envelope.Tracestate.Length > 0)
        {
            yield return (TraceStateAttribute, envelope.Tracestate);
        }
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
