using System.Diagnostics;
using System.Net.Mime;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.CloudEvents;
using Google.Protobuf;
using MassTransit;
using MassTransit.Serialization;

namespace Egov.Steering.Messaging.Serialization;

/// <summary>
/// The bus's default serializer. A protobuf message travels as exactly its binary encoding with the MassTransit
/// headers MassTransit needs to route and track it (message id, type, conversation, ...), the CloudEvents headers of
/// an <see cref="EventEnvelope"/> and the W3C <c>traceparent</c>; anything else (MassTransit's own faults and
/// commands) keeps MassTransit's JSON envelope, labelled with its own content type.
/// </summary>
public sealed class ProtobufMessageSerializer : RawMessageSerializer, IMessageSerializer
{
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    private readonly IMessageSerializer _envelopeSerializer = SystemTextJsonMessageSerializer.Instance;

    public ContentType ContentType => ProtobufContentTypes.Protobuf;

    public MessageBody GetMessageBody<T>(SendContext<T> context)
        where T : class
    {
        if (context.Message is not IMessage message)
        {
            // The transports read the content type after the body, so the label follows the serializer used.
            context.ContentType = _envelopeSerializer.ContentType;
            return _envelopeSerializer.GetMessageBody(context);
        }

        context.ContentType = ProtobufContentTypes.For(message.Descriptor.FullName);
        SetRawMessageHeaders(context);
        if (message is EventEnvelope envelope)
        {
            CloudEventHeaders.Set(context.Headers, envelope);
        }

        SetTraceContext(context.Headers);
        return new ProtobufMessageBody(message.ToByteArray());
    }

    /// <summary>
    /// MassTransit carries the trace in its own <c>MT-Activity-Id</c>; <c>traceparent</c> lets consumers that are not
    /// MassTransit join the same trace.
    /// </summary>
    private static void SetTraceContext(SendHeaders headers)
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C } activity)
        {
            return;
        }

        headers.Set(TraceParentHeader, activity.Id);
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            headers.Set(TraceStateHeader, activity.TraceStateString);
        }
    }
}
