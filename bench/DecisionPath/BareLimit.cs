using System.Diagnostics;
using Npgsql;
using RabbitMQ.Client;

namespace Egov.Steering.Bench.DecisionPath;

/// <summary>
/// The floor of one hop: a row committed to PostgreSQL, then a message published to RabbitMQ and confirmed, nothing
/// else; as fast as one and eight clients can go, on the same servers as the services.
/// </summary>
internal sealed record BareLimit(double OneClient, double EightClients, Latencies Latency)
{
    public static async Task<BareLimit> MeasureAsync(Infrastructure infrastructure, int operations)
    {
        var database = await infrastructure.CreateDatabaseAsync($"bench_limit_{Guid.NewGuid():N}");
        var exchange = $"bench-limit-{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { Uri = infrastructure.RabbitMq };
        await using var connection = await factory.CreateConnectionAsync();
        try
        {
            await Infrastructure.ExecuteAsync(database, "CREATE TABLE bare (id uuid PRIMARY KEY, body bytea NOT NULL, created_at timestamp NOT NULL)");
            await using (var setup = await connection.CreateChannelAsync())
            {
                await setup.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: false, autoDelete: false);
                // A bound queue, so the broker routes (and confirms) as it does for the services' queues.
                await setup.QueueDeclareAsync(exchange, durable: true, exclusive: false, autoDelete: false);
                await setup.QueueBindAsync(exchange, exchange, string.Empty);
            }

            var latency = new Latencies();
            await RunAsync(connection, database, exchange, 1, Math.Min(operations, 100), null); // warm-up
            var one = await RunAsync(connection, database, exchange, 1, operations, latency);
            var eight = await RunAsync(connection, database, exchange, 8, operations * 2, null);
            return new BareLimit(one, eight, latency);
        }
        finally
        {
            await using (var cleanup = await connection.CreateChannelAsync())
            {
                await cleanup.QueueDeleteAsync(exchange);
                await cleanup.ExchangeDeleteAsync(exchange);
            }

            await infrastructure.DropDatabaseAsync(database);
        }
    }

    private static async Task<double> RunAsync(IConnection connection, string database, string exchange, int clients, int operations, Latencies? latency)
    {
        var remaining = operations;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            var body = new byte[600];
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var one = Stopwatch.GetTimestamp();
                await using (var db = new NpgsqlConnection(database))
                {
                    await db.OpenAsync();
                    await using var transaction = await db.BeginTransactionAsync();
                    await using var insert = new NpgsqlCommand("INSERT INTO bare VALUES ($1, $2, now())", db, transaction);
                    insert.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
                    insert.Parameters.Add(new NpgsqlParameter { Value = body });
                    await insert.ExecuteNonQueryAsync();
                    await transaction.CommitAsync();
                }

                await channel.BasicPublishAsync(exchange, string.Empty, mandatory: false, new BasicProperties { Persistent = true }, body);
                latency?.Record(Stopwatch.GetElapsedTime(one));
            }
        }));
        return operations / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
