using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.Messaging;

public static class PartitionedConsumers
{
    /// <summary>
    /// Registers a consumer whose messages are handled <paramref name="partitions"/> at a time, but one at a time and in
    /// arrival order per key (e.g. a committee): unrelated keys go in parallel, and a key's next message does not race
    /// its predecessor into an inbox gap. The inbox stays the guarantee of order; the key only spares the retries.
    /// <paramref name="endpoint"/> configures the endpoint further (e.g. <see cref="EventRouting.SubscribeToEvents"/>).
    /// </summary>
    public static IConsumerRegistrationConfigurator<TConsumer> AddPartitionedConsumer<TConsumer, TMessage>(
        this IRegistrationConfigurator bus, int partitions, Func<TMessage, string> keyOf, Action<IEndpointRegistrationConfigurator>? endpoint = null)
        where TConsumer : class, IConsumer<TMessage>
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var consumer = bus.AddConsumer<TConsumer>((_, configurator) =>
            configurator.Message<TMessage>(message => message.UsePartitioner(partitions, context => keyOf(context.Message))));
        consumer.Endpoint(configurator =>
        {
            configurator.ConcurrentMessageLimit = partitions;
            configurator.PrefetchCount = partitions * 2;
            endpoint?.Invoke(configurator);
        });
        return consumer;
    }

    /// <summary>
    /// Registers a consumer that handles each key's queued messages in batches: it takes the
    /// <see cref="KeyedBatches{TItem}"/> registered under its type (<c>[FromKeyedServices(typeof(TConsumer))]</c>),
    /// which runs at most <paramref name="concurrentBatches"/> batches at once, each of up to
    /// <paramref name="batchSize"/> messages of one key, in the key's <paramref name="order"/>. Enough messages are taken
    /// from the queue for every batch to fill while the one before it runs.
    /// </summary>
    public static IConsumerRegistrationConfigurator<TConsumer> AddBatchingConsumer<TConsumer, TMessage>(
        this IRegistrationConfigurator bus,
        int concurrentBatches,
        int batchSize,
        Comparison<TMessage> order,
        Action<IEndpointRegistrationConfigurator>? endpoint = null)
        where TConsumer : class, IConsumer<TMessage>
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrentBatches, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        bus.AddKeyedSingleton<KeyedBatches<ConsumeContext<TMessage>>>(
            typeof(TConsumer), new KeyedBatches<ConsumeContext<TMessage>>(concurrentBatches, batchSize, (x, y) => order(x.Message, y.Message)));
        var consumer = bus.AddConsumer<TConsumer>();
        consumer.Endpoint(configurator =>
        {
            configurator.ConcurrentMessageLimit = concurrentBatches * batchSize;
            configurator.PrefetchCount = concurrentBatches * batchSize;
            endpoint?.Invoke(configurator);
        });
        return consumer;
    }
}
