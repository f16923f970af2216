using Npgsql;
using RabbitMQ.Client;

namespace Egov.Steering.Bench;

/// <summary>
/// The shared servers (eng/infra.sh env), fresh databases on them, and the removal of what a run created there: its
/// databases, and the queues and exchanges of the services it started under a prefix of its own.
/// </summary>
internal sealed record Infrastructure(string Postgres, Uri RabbitMq, string Redis)
{
    public static Infrastructure FromEnvironment() => new(
        Environment.GetEnvironmentVariable("STEERING_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres",
        new Uri(Environment.GetEnvironmentVariable("STEERING_TEST_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/"),
        Environment.GetEnvironmentVariable("STEERING_TEST_REDIS") ?? "127.0.0.1:6379");

    /// <summary>Creates an empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await ExecuteAsync(Postgres, $"CREATE DATABASE \"{name}\"");
        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await ExecuteAsync(Postgres, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Deletes the queues and exchanges that services started with this topology and endpoint prefix declared.</summary>
    public async Task DeleteBrokerEntitiesAsync(string prefix)
    {
        var factory = new ConnectionFactory { Uri = RabbitMq };
        await using var connection = await factory.CreateConnectionAsync();
        foreach (var name in BrokerEntities(prefix))
        {
            // One channel per deletion: a missing entity closes the channel.
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(name);
            await channel.ExchangeDeleteAsync(name);
        }
    }

    // Each service's queue (endpoint prefix "<prefix>-<service>") with its error and skipped queues, the event exchange
    // routed by type and Notifications' public exchange.
    private static IEnumerable<string> BrokerEntities(string prefix) =>
    [
        .. new[] { "membership-decision-events", "decisions-decision-outcome", "notifications-event-log" }
            .SelectMany(queue => new[] { $"{prefix}-{queue}", $"{prefix}-{queue}_error", $"{prefix}-{queue}_skipped" }),
        $"{prefix}.Egov.Steering.Events.V1:EventEnvelope.by-type",
        $"{prefix}.events",
    ];
}
