using System.Text;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;
using Egov.Steering.TestSupport;

namespace Egov.Steering.BuildingBlocks.Tests.Infrastructure;

/// <summary>
/// The servers every integration test relies on are real and reachable, and a private broker keeps what it
/// acknowledged across a restart (the premise of every test that restarts one).
/// </summary>
public sealed class InfrastructureSmokeTests
{
    [Fact]
    public void PrivateBrokersAndTheirDistributionPortsLieBelowTheKernelsEphemeralPorts()
    {
        // A port in the ephemeral range can be taken by any outgoing connection between the draw and the broker's
        // start: the node then cannot open its distribution port and does not boot.
        var ephemeralFrom = int.Parse(
            File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0],
            System.Globalization.CultureInfo.InvariantCulture);
        for (var draw = 0; draw < 50; draw++)
        {
            var distributionPort = TestInfrastructure.FreeRabbitMqPort() + TestInfrastructure.RabbitMqDistributionOffset;
            Assert.InRange(distributionPort, TestInfrastructure.RabbitMqDistributionOffset, ephemeralFrom - 1);
        }
    }

    [Fact]
    public async Task PostgreSqlGivesEachTestItsOwnWritableDatabase()
    {
        var connectionString = await TestInfrastructure.CreateDatabaseAsync("smoke");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "CREATE TABLE note (text text NOT NULL); INSERT INTO note VALUES ('Ban Chỉ đạo'); SELECT text FROM note;",
            connection);

        Assert.Equal("Ban Chỉ đạo", await command.ExecuteScalarAsync());
        Assert.NotEqual("postgres", connection.Database);
    }

    [Fact]
    public async Task The_databases_of_test_processes_that_ended_are_dropped_and_those_of_running_ones_kept()
    {
        var ours = new NpgsqlConnectionStringBuilder(await TestInfrastructure.CreateDatabaseAsync("reap")).Database!;
        // Above the kernel's largest pid (4,194,304): no process runs with it.
        var ended = $"reap_99999999_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{ended}\"", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await TestInfrastructure.DropDatabasesOfEndedProcessesAsync();

        await using var exists = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname = ANY(@names)", connection);
        exists.Parameters.AddWithValue("names", new[] { ours, ended });
        var left = new List<string>();
        await using (var reader = await exists.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                left.Add(reader.GetString(0));
            }
        }

        Assert.Equal([ours], left);
    }

    [Fact]
    public async Task RedisStoresAndReturnsAValue()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.RedisConfiguration);
        var database = redis.GetDatabase();
        var key = $"smoke:{Guid.NewGuid():N}";

        await database.StringSetAsync(key, "Ủy ban", TimeSpan.FromMinutes(1));

        Assert.Equal("Ủy ban", (string?)await database.StringGetAsync(key));
    }

    [Fact]
    public async Task RabbitMqDeliversAConfirmedMessage()
    {
        await using var connection = await ConnectAsync(TestInfrastructure.RabbitMqUri);
        await using var channel = await CreateConfirmingChannelAsync(connection);
        var queue = $"smoke-{Guid.NewGuid():N}";
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true);

        await PublishAsync(channel, queue, "quyết định");

        var message = await channel.BasicGetAsync(queue, autoAck: true);
        Assert.NotNull(message);
        Assert.Equal("quyết định", Encoding.UTF8.GetString(message.Body.Span));
    }

    [Fact]
    public async Task PrivateRabbitMqKeepsPersistentMessagesOfDurableQueuesAcrossARestart()
    {
        var broker = new PrivateBroker("infra-smoke", TestInfrastructure.FreeRabbitMqPort());
        var uri = broker.Uri;
        var queue = $"smoke-durable-{Guid.NewGuid():N}";
        await broker.StartAsync();
        try
        {
            await using (var connection = await ConnectAsync(uri))
            await using (var channel = await CreateConfirmingChannelAsync(connection))
            {
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
                await PublishAsync(channel, queue, "nghị quyết");
            }

            await broker.StopAsync();
            await broker.StartAsync();

            await using (var connection = await ConnectAsync(uri))
            await using (var channel = await connection.CreateChannelAsync())
            {
                var message = await channel.BasicGetAsync(queue, autoAck: true);
                Assert.NotNull(message);
                Assert.Equal("nghị quyết", Encoding.UTF8.GetString(message.Body.Span));
                await channel.QueueDeleteAsync(queue);
            }
        }
        finally
        {
            await broker.StopAsync();
        }
    }

    private static Task<IConnection> ConnectAsync(Uri uri) => new ConnectionFactory { Uri = uri }.CreateConnectionAsync();

    // Confirm tracking makes each publish return only once the broker has taken responsibility for the message.
    private static Task<IChannel> CreateConfirmingChannelAsync(IConnection connection) =>
        connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

    private static async Task PublishAsync(IChannel channel, string queue, string text) =>
        await channel.BasicPublishAsync(
            exchange: string.Empty,
            routingKey: queue,
            mandatory: true,
            basicProperties: new BasicProperties { Persistent = true },
            body: Encoding.UTF8.GetBytes(text));
}
