using Npgsql;
using RabbitMQ.Client;

namespace Egov.Steering.Bench;

/// <summary>
/// The floor of one outbox hop, on the same servers as the project: a row committed to PostgreSQL, then a message
/// published to RabbitMQ and confirmed, nothing else. Owns its table and a fanout exchange with one durable queue bound
/// (the broker routes, and confirms, as it does for the services' queues); <see cref="DisposeAsync"/> removes both.
/// </summary>
internal sealed class BareHop : IAsyncDisposable
{
    private readonly string _database;
    private readonly IConnection _rabbitMq;

    private BareHop(string database, IConnection rabbitMq, string exchange) => (_database, _rabbitMq, Exchange) = (database, rabbitMq, exchange);

    /// <summary>The exchange, and the queue bound to it: read it to see what arrives.</summary>
    public string Exchange { get; }

    public static async Task<BareHop> CreateAsync(string database, IConnection rabbitMq)
    {
        var hop = new BareHop(database, rabbitMq, $"bench-bare-{Guid.NewGuid():N}");
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS bare (id uuid PRIMARY KEY, body bytea NOT NULL, created_at timestamp NOT NULL)", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using var setup = await rabbitMq.CreateChannelAsync();
        await setup.ExchangeDeclareAsync(hop.Exchange, ExchangeType.Fanout, durable: false, autoDelete: false);
        await setup.QueueDeclareAsync(hop.Exchange, durable: true, exclusive: false, autoDelete: false);
        await setup.QueueBindAsync(hop.Exchange, hop.Exchange, string.Empty);
        return hop;
    }

    /// <summary>A channel for one client: publishes wait for the broker's confirm.</summary>
    public Task<IChannel> OpenChannelAsync() =>
        _rabbitMq.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

    /// <summary>
    /// Commits a row holding <paramref name="body"/>, then publishes it as message <paramref name="id"/> on
    /// <paramref name="channel"/>; <paramref name="committed"/> runs between the two.
    /// </summary>
    public async Task CommitThenPublishAsync(IChannel channel, Guid id, ReadOnlyMemory<byte> body, Action? committed = null)
    {
        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO bare VALUES ($1, $2, now())", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = id });
            insert.Parameters.Add(new NpgsqlParameter { Value = body });
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        committed?.Invoke();
        await channel.BasicPublishAsync(Exchange, string.Empty, mandatory: false, new BasicProperties { Persistent = true, MessageId = id.ToString() }, body);
    }

    public async ValueTask DisposeAsync()
    {
        await using var cleanup = await _rabbitMq.CreateChannelAsync();
        await cleanup.QueueDeleteAsync(Exchange);
        await cleanup.ExchangeDeleteAsync(Exchange);
    }
}
