using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.Messaging;

public static class BatchingConsumers
{
    /// <summary>
    /// Registers a consumer that handles each key's queued messages in batches: it takes the
    /// <see cref="KeyedBatches{TItem}"/> registered under its type (<c>[FromKeyedServices(typeof(TConsumer))]</c>),
    /// which runs at most <paramref name="concurrentBatches"/> batches at once, each of up to
    /// <paramref name="batchSize"/> messages of one key, in the key's <paramref name="order"/> if given, and else in the
    /// queue's order (RabbitMQ's delivery tags; messages delivered at once reach their key in any order). Enough
    /// messages are taken from the queue for every batch to fill while the one before it runs.
    /// </summary>
    public static IConsumerRegistrationConfigurator<TConsumer> AddBatchingConsumer<TConsumer, TMessage>(
        this IRegistrationConfigurator bus,
        int concurrentBatches,
        int batchSize,
        Comparison<TMessage>? order = null,
        Action<IEndpointRegistrationConfigurator>? endpoint = null)
        where TConsumer : class, IConsumer<TMessage>
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrentBatches, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        bus.AddKeyedSingleton<KeyedBatches<ConsumeContext<TMessage>>>(typeof(TConsumer), new KeyedBatches<ConsumeContext<TMessage>>(
            concurrentBatches, batchSize, (x, y) => order?.Invoke(x.Message, y.Message) is { } ordered and not 0 ? ordered : DeliveryTag(x).CompareTo(DeliveryTag(y))));
        var consumer = bus.AddConsumer<TConsumer>();
        consumer.Endpoint(configurator =>
        {
            configurator.ConcurrentMessageLimit = concurrentBatches * batchSize;
            configurator.PrefetchCount = concurrentBatches * batchSize;
            endpoint?.Invoke(configurator);
        });
        return consumer;
    }

    /// <summary>The message's place in its queue as the broker delivered it (0 on a transport without one).</summary>
    private static ulong DeliveryTag(ConsumeContext context) =>
        context.ReceiveContext is RabbitMqBasicConsumeContext delivered ? delivered.DeliveryTag : 0;
}
