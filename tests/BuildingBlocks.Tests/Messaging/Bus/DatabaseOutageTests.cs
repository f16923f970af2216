using Egov.Steering.Events.V1;
using Egov.Steering.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging.Bus;

/// <summary>
/// Messages delivered while the consumer's database is away (a restart, a failover) wait for it and are consumed once it
/// is back, instead of exhausting their retries into the error queue.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    // Well past what the bus's retries took before (TestBus: 2 retries, 10-50 ms apart).
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(5);

    private readonly string name = "consumer-db-" + Guid.NewGuid().ToString("N")[..6];
    private readonly int port = TestInfrastructure.FreePort();

    private string Server => $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";

    public async Task InitializeAsync()
    {
        await TestInfrastructure.StartOwnAsync(InfrastructureKind.Postgres, name, port);
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE TABLE received (id text PRIMARY KEY)", connection);
        await create.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => TestInfrastructure.StopOwnAsync(InfrastructureKind.Postgres, name);

    [Fact]
    public async Task Events_delivered_while_the_database_is_stopped_are_consumed_once_it_is_back_and_none_goes_to_the_error_queue()
    {
        await using var bus = await TestBus.StartAsync(x =>
        {
            x.AddSingleton(new ConsumerDatabase(Server));
            x.AddConsumer<RecordingToDatabaseConsumer>();
        });
        var before = TestBus.NewEvent();
        await bus.Bus.Publish(before);
        await bus.Deliveries.WaitAsync<EventEnvelope>(before.Id);

        await TestInfrastructure.StopOwnAsync(InfrastructureKind.Postgres, name);
        var during = Enumerable.Range(0, 3).Select(_ => TestBus.NewEvent()).ToList();
        foreach (var envelope in during)
        {
            await bus.Bus.Publish(envelope);
        }

        await Task.Delay(Outage);
        await TestInfrastructure.StartOwnAsync(InfrastructureKind.Postgres, name, port);

        foreach (var envelope in during)
        {
            Assert.Equal(envelope, await bus.Deliveries.WaitAsync<EventEnvelope>(envelope.Id));
        }

        Assert.Equal(0u, await TestBus.MessagesInAsync(bus.QueueOf<RecordingToDatabaseConsumer>() + "_error"));
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM received", connection);
        Assert.Equal(4L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_event_whose_database_stays_away_past_the_transient_retries_goes_to_the_error_queue()
    {
        await using var bus = await TestBus.StartAsync(
            x =>
            {
                x.AddSingleton(new ConsumerDatabase(Server));
                x.AddConsumer<RecordingToDatabaseConsumer>();
            },
            settings: new Dictionary<string, string?> { ["Messaging:TransientRetryLimit"] = "3" });
        await TestInfrastructure.StopOwnAsync(InfrastructureKind.Postgres, name);

        await bus.Bus.Publish(TestBus.NewEvent());

        var errorQueue = bus.QueueOf<RecordingToDatabaseConsumer>() + "_error";
        await Eventually.WaitUntilAsync(async () => await TestBus.MessagesInAsync(errorQueue) == 1, "the event in the error queue");
    }
}
