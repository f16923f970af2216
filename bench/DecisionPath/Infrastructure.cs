using Npgsql;

namespace Egov.Steering.Bench.DecisionPath;

/// <summary>The shared servers (eng/infra.sh env), and fresh databases on them.</summary>
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
}
