using System.Diagnostics;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging;
using Egov.Steering.ServiceDefaults.Health;
using Egov.Steering.ServiceDefaults.Infrastructure;
using Egov.Steering.ServiceDefaults.Telemetry;
using Google.Protobuf;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Egov.Steering.TestSupport;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging.Bus;

/// <summary>Events through MassTransit over the real RabbitMQ, as the services will send and receive them.</summary>
public sealed class RabbitMqEventTests
{
    private const string TestSourceName = "Egov.Steering.Tests.Messaging";
    private static readonly ActivitySource TestSource = new(TestSourceName);

    [Fact]
    public async Task Event_envelope_round_trips_with_its_message_id_headers_and_trace()
    {
        using var listener = ListenToAllActivities();
        await using var bus = await TestBus.StartAsync(x => x.AddConsumer<RecordingConsumer>());
        var envelope = TestBus.NewEvent();
        var messageId = NewId.NextGuid();

        ActivityTraceId traceId;
        using (var activity = TestSource.StartActivity("publish decision"))
        {
            traceId = activity!.TraceId;
            await bus.Bus.Publish(envelope, context => context.MessageId = messageId);
        }

        var received = await bus.Deliveries.WaitAsync<ReceivedEvent>(envelope.Id);
        Assert.Equal(envelope, received.Message);
        Assert.Equal(messageId, received.MessageId);
        Assert.Equal(envelope.Type, received.Headers["cloudEvents:type"]);
        Assert.Equal(traceId, received.TraceId);
        Assert.Contains(traceId.ToHexString(), (string)received.Headers["traceparent"]);
    }

    [Fact]
    public async Task Bus_is_a_readiness_check()
    {
        await using var bus = await TestBus.StartAsync(x => x.AddConsumer<RecordingConsumer>());
        var envelope = TestBus.NewEvent();
        await bus.Bus.Publish(envelope);
        await bus.Deliveries.WaitAsync<ReceivedEvent>(envelope.Id);

        var report = await bus.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains(HealthTags.Ready));

        Assert.Equal(HealthStatus.Healthy, report.Entries[MessagingExtensions.BusHealthCheckName].Status);
    }

    [Fact]
    public async Task Bus_on_the_in_memory_transport_delivers_the_same_way()
    {
        await using var bus = await TestBus.StartAsync(x => x.AddConsumer<RecordingConsumer>(), BusTransport.InMemory);
        var envelope = TestBus.NewEvent();

        await bus.Bus.Publish(envelope);

        Assert.Equal(envelope, (await bus.Deliveries.WaitAsync<ReceivedEvent>(envelope.Id)).Message);
    }

    [Fact]
    public async Task Raw_rabbitmq_client_decodes_the_event_with_only_the_generated_parser_and_the_headers()
    {
        await using var bus = await TestBus.StartAsync(_ => { });
        var factory = new ConnectionFactory { Uri = TestInfrastructure.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var exchange = $"{bus.Prefix}.Egov.Steering.Events.V1:EventEnvelope.by-type"; // this test's own topology prefix
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Headers, durable: true);
        var queue = (await channel.QueueDeclareAsync($"raw-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, routingKey: "");
        var envelope = TestBus.NewEvent();
        var delivered = new TaskCompletionSource<BasicDeliverEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            if (Header(delivery.BasicProperties, "cloudEvents:id") == envelope.Id)
            {
                delivered.TrySetResult(new BasicDeliverEventArgs(
                    delivery.ConsumerTag, delivery.DeliveryTag, delivery.Redelivered, delivery.Exchange, delivery.RoutingKey,
                    delivery.BasicProperties, delivery.Body.ToArray()));
            }

            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

        await bus.Bus.Publish(envelope);

        var message = await delivered.Task.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(envelope, EventEnvelope.Parser.ParseFrom(message.Body.Span));
        var properties = message.BasicProperties;
        Assert.Equal("application/protobuf; proto=egov.steering.events.v1.EventEnvelope", properties.ContentType);
        Assert.Equal(envelope.Type, Header(properties, "cloudEvents:type"));
        Assert.Equal(envelope.Source, Header(properties, "cloudEvents:source"));
        Assert.Equal(envelope.Subject, Header(properties, "cloudEvents:subject"));
        Assert.Equal("2025-07-01T08:30:15.1230000Z", Header(properties, "cloudEvents:time"));
        Assert.Equal("1.0", Header(properties, "cloudEvents:specversion"));
        Assert.Equal("application/protobuf", Header(properties, "cloudEvents:datacontenttype"));
    }

    [Fact]
    public async Task A_consumer_fault_is_published_as_a_readable_fault_of_the_event()
    {
        await using var bus = await TestBus.StartAsync(x =>
        {
            x.AddConsumer<FailingConsumer>();
            x.AddConsumer<FaultConsumer>();
        });
        var envelope = TestBus.NewEvent();
        bus.Services.GetRequiredService<Outage>().EventId = envelope.Id;

        await bus.Bus.Publish(envelope);

        var fault = await bus.Deliveries.WaitAsync<Fault<EventEnvelope>>("fault:" + envelope.Id);
        Assert.Equal(envelope, fault.Message);
        Assert.Equal("the committee register is unavailable", Assert.Single(fault.Exceptions).Message);
    }

    private static ActivityListener ListenToAllActivities()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is TelemetryExtensions.MassTransitSource or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    internal static string? Header(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers?.TryGetValue(name, out var value) == true && value is byte[] bytes
            ? System.Text.Encoding.UTF8.GetString(bytes)
            : null;
}
