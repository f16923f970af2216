using System.Collections.Concurrent;
using Egov.Steering.Bench;
using Google.Protobuf;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Egov.Steering.OutboxLatency;

/// <summary>
/// The limit beside the outbox: each commit publishes its event itself right after, confirmed (<see cref="BareHop"/>),
/// and a plain consumer stamps its arrival; no outbox row, relay or MassTransit between.
/// </summary>
public sealed class BareCommits : IAsyncDisposable
{
    private readonly BareHop _hop;
    private readonly IChannel _consumer;
    private readonly LatencyProbe _probe;
    private readonly ConcurrentBag<IChannel> _idle = [];
    private long _version;

    private BareCommits(BareHop hop, IChannel consumer, LatencyProbe probe) => (_hop, _consumer, _probe) = (hop, consumer, probe);

    public static async Task<BareCommits> StartAsync(string database, IConnection rabbitMq, LatencyProbe probe)
    {
        var hop = await BareHop.CreateAsync(database, rabbitMq);
        var channel = await rabbitMq.CreateChannelAsync();
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            probe.Arrived(Guid.Parse(delivery.BasicProperties.MessageId!));
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(hop.Exchange, autoAck: false, consumer);
        return new BareCommits(hop, channel, probe);
    }

    public async Task<Guid> CommitAsync(string committee)
    {
        var envelope = OutboxCommits.Event(committee, Interlocked.Increment(ref _version));
        var id = Guid.Parse(envelope.Id);
        // One channel per concurrent writer, as the relay publishes on channels of its own.
        var channel = _idle.TryTake(out var free) ? free : await _hop.OpenChannelAsync();
        await _hop.CommitThenPublishAsync(channel, id, envelope.ToByteArray(), () => _probe.Committed(id));
        _idle.Add(channel);
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _idle)
        {
            await channel.DisposeAsync();
        }

        await _consumer.DisposeAsync();
        await _hop.DisposeAsync();
    }
}
