using System.Collections.Concurrent;
using Egov.Steering.Events.V1;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Egov.Steering.Integration.Tests.Support;

/// <summary>What a dashboard bound to the public exchange with "#" receives: each message's headers and envelope.</summary>
public sealed class PublicExchangeTap : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel channel;

    private PublicExchangeTap(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        this.channel = channel;
    }

    public ConcurrentQueue<(IDictionary<string, object?> Headers, EventEnvelope Envelope)> Received { get; } = new();

    public IEnumerable<EventEnvelope> Envelopes => Received.Select(message => message.Envelope);

    public static async Task<PublicExchangeTap> StartAsync(Uri broker, string exchange)
    {
        var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var tap = new PublicExchangeTap(connection, channel);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "#");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            tap.Received.Enqueue((delivery.BasicProperties.Headers ?? new Dictionary<string, object?>(), EventEnvelope.Parser.ParseFrom(delivery.Body.Span)));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return tap;
    }

    public async ValueTask DisposeAsync()
    {
        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }
}
