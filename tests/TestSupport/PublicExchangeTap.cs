using System.Collections.Concurrent;
using System.Text;
using Egov.Steering.Events.V1;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Egov.Steering.TestSupport;

/// <summary>One message a dashboard's queue received from the public exchange.</summary>
public sealed record ExchangeDelivery(string RoutingKey, IReadOnlyBasicProperties Properties, EventEnvelope Envelope)
{
    /// <summary>A header as text (AMQP carries strings as bytes); null when absent.</summary>
    public string? Header(string name) =>
        Properties.Headers is { } headers && headers.TryGetValue(name, out var value)
            ? value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString()
            : null;
}

/// <summary>What a dashboard does with the public exchange: its own exclusive queue, bound with a routing key pattern.</summary>
public sealed class PublicExchangeTap : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel channel;
    private readonly string? ownedExchange;

    private PublicExchangeTap(IConnection connection, IChannel channel, string? ownedExchange)
    {
        this.connection = connection;
        this.channel = channel;
        this.ownedExchange = ownedExchange;
    }

    public ConcurrentQueue<ExchangeDelivery> Received { get; } = new();

    public IEnumerable<EventEnvelope> Envelopes => Received.Select(delivery => delivery.Envelope);

    public static Task<PublicExchangeTap> StartAsync(Uri broker, string exchange, string bindingKey = "#") =>
        StartAsync(broker, exchange, bindingKey, ownedExchange: null);

    /// <summary>As <see cref="StartAsync(Uri, string, string)"/>, for a test whose exchange is its own: deleted when the tap is disposed.</summary>
    public static Task<PublicExchangeTap> StartOnOwnExchangeAsync(Uri broker, string exchange, string bindingKey = "#") =>
        StartAsync(broker, exchange, bindingKey, ownedExchange: exchange);

    private static async Task<PublicExchangeTap> StartAsync(Uri broker, string exchange, string bindingKey, string? ownedExchange)
    {
        var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var tap = new PublicExchangeTap(connection, channel, ownedExchange);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, bindingKey);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            tap.Received.Enqueue(new ExchangeDelivery(delivery.RoutingKey, delivery.BasicProperties, EventEnvelope.Parser.ParseFrom(delivery.Body.Span)));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return tap;
    }

    public async ValueTask DisposeAsync()
    {
        if (ownedExchange is not null)
        {
            await channel.ExchangeDeleteAsync(ownedExchange);
        }

        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }
}
