using System.Runtime.Serialization;
using System.Text.Json;
using Egov.Steering.Audit.V1;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.CloudEvents;
using Egov.Steering.Messaging.Serialization;
using Google.Protobuf;
using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging.Bus;

/// <summary>The serializer pair on its own, without a broker.</summary>
public sealed class ProtobufSerializerTests
{
    private readonly ProtobufMessageSerializer _serializer = new();

    [Fact]
    public void Body_is_exactly_the_protobuf_encoding_labelled_with_the_proto_name()
    {
        var envelope = TestBus.NewEvent();

        var context = Send(envelope);

        Assert.Equal(envelope.ToByteArray(), context.Body.GetBytes());
        Assert.Equal("application/protobuf; proto=egov.steering.events.v1.EventEnvelope", context.ContentType.ToString());
    }

    [Fact]
    public void Event_envelope_attributes_travel_as_cloud_events_headers()
    {
        var envelope = TestBus.NewEvent();

        var headers = Send(envelope).Headers;

        Assert.Equal(envelope.Id, headers.Get<string>("cloudEvents:id"));
        Assert.Equal("egov.steering.events.v1.MembershipStarted", headers.Get<string>("cloudEvents:type"));
        Assert.Equal("//membership.steering.egov.gov.vn", headers.Get<string>("cloudEvents:source"));
        Assert.Equal("committees/gia-lai/memberships/17", headers.Get<string>("cloudEvents:subject"));
        Assert.Equal("2025-07-01T08:30:15.1230000Z", headers.Get<string>("cloudEvents:time"));
        Assert.Equal("1.0", headers.Get<string>("cloudEvents:specversion"));
        Assert.Equal("application/protobuf", headers.Get<string>("cloudEvents:datacontenttype"));
    }

    [Fact]
    public void Deserializer_reads_the_message_type_from_the_masstransit_header()
    {
        var envelope = TestBus.NewEvent();
        var sent = Send(envelope);

        var context = Deserializer(new ProtobufMessageTypes()).Deserialize(sent.Body, sent.Headers);

        Assert.True(context.TryGetMessage(out EventEnvelope? received));
        Assert.Equal(envelope, received);
        Assert.Equal(sent.MessageId, context.MessageId);
        Assert.True(context.IsSupportedMessageType<IMessage>());
        Assert.False(context.IsSupportedMessageType<AuditRecord>());
    }

    [Fact]
    public void Unknown_message_type_fails_with_a_serialization_error_that_names_it()
    {
        var sent = Send(new AuditRecord { Subject = "clerk-17" });

        var error = Assert.Throws<SerializationException>(() =>
            Deserializer(new ProtobufMessageTypes()).Deserialize(sent.Body, sent.Headers));

        Assert.Contains("Egov.Steering.Audit.V1:AuditRecord", error.Message);
        Assert.Contains("register", error.Message);
    }

    [Fact]
    public void Registered_message_types_beyond_the_events_are_read()
    {
        var types = new ProtobufMessageTypes();
        types.Register(AuditReflection.Descriptor);
        var record = new AuditRecord { Subject = "clerk-17", Organisation = "province-2025-52" };
        var sent = Send(record);

        var context = Deserializer(types).Deserialize(sent.Body, sent.Headers);

        Assert.True(context.TryGetMessage(out AuditRecord? received));
        Assert.Equal(record, received);
    }

    [Fact]
    public void Corrupt_body_fails_with_a_serialization_error_not_a_crash()
    {
        var sent = Send(TestBus.NewEvent());

        var error = Assert.Throws<SerializationException>(() =>
            Deserializer(new ProtobufMessageTypes()).Deserialize(new BytesMessageBody([0x0A, 0xFF, 0xFF]), sent.Headers));

        Assert.Contains("egov.steering.events.v1.EventEnvelope", error.Message);
    }

    [Fact]
    public void Message_without_any_type_fails_with_a_serialization_error_that_says_what_is_expected()
    {
        var error = Assert.Throws<SerializationException>(() =>
            Deserializer(new ProtobufMessageTypes()).Deserialize(new BytesMessageBody([]), new DictionarySendHeaders()));

        Assert.Contains("application/protobuf; proto=", error.Message);
    }

    [Fact]
    public void Masstransit_own_messages_keep_the_json_envelope()
    {
        var context = Send(new PlainCommand("gia-lai"));

        Assert.Equal("application/vnd.masstransit+json", context.ContentType.MediaType);
        using var json = JsonDocument.Parse(context.Body.GetBytes());
        Assert.Equal("gia-lai", json.RootElement.GetProperty("message").GetProperty("committee").GetString());
    }

    [Fact]
    public void Protobuf_messages_inside_json_envelopes_round_trip_in_the_protobuf_json_mapping()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new ProtobufJsonConverterFactory());
        var response = new ListAuditRecordsResponse
        {
            AuditRecords = { new AuditRecord { Subject = "a" }, new AuditRecord { Subject = "b" } },
            NextPageToken = "next",
        };

        var json = JsonSerializer.Serialize(new Holder(response), options);

        Assert.Contains("\"auditRecords\"", json);
        Assert.Equal(response, JsonSerializer.Deserialize<Holder>(json, options)!.Response);
    }

    [Fact]
    public void Cloud_event_headers_are_the_amqp_binding_names()
    {
        Assert.Equal(
            ["cloudEvents:datacontenttype", "cloudEvents:id", "cloudEvents:source", "cloudEvents:specversion", "cloudEvents:subject", "cloudEvents:time", "cloudEvents:type"],
            CloudEventHeaders.From(TestBus.NewEvent()).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Cloud_event_headers_of_the_http_binding_carry_the_same_values_under_ce_names()
    {
        var envelope = TestBus.NewEvent();
        envelope.Traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var amqp = CloudEventHeaders.From(envelope);
        var http = CloudEventHeaders.HttpHeadersOf(envelope).ToDictionary();

        Assert.Equal(
            amqp.Where(header => header.Key != CloudEventHeaders.DataContentType)
                .ToDictionary(header => "ce-" + header.Key[CloudEventHeaders.Prefix.Length..], header => header.Value),
            http);
        Assert.Equal(envelope.Traceparent, http["ce-traceparent"]);
    }

    private MessageSendContext<T> Send<T>(T message)
        where T : class
    {
        var context = new MessageSendContext<T>(message) { Serializer = _serializer };
        _ = context.Body;
        return context;
    }

    private ProtobufMessageDeserializer Deserializer(ProtobufMessageTypes types) => new(types, _serializer);

    public sealed record PlainCommand(string Committee);

    public sealed record Holder(ListAuditRecordsResponse Response);
}
