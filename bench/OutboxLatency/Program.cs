// Commit-to-consumer latency of the transactional outbox over a real PostgreSQL and RabbitMQ.
//
//   eval "$(eng/infra.sh env)"   # or set STEERING_TEST_POSTGRES / STEERING_TEST_RABBITMQ
//   dotnet run -c Release --project bench/OutboxLatency -- [events=2000] [rate=500] [burst=100]
//
// Phases, after a warm-up of 1,000 events: a steady stream at <rate> commits/s, bursts of <burst> commits from 4
// writers at once, and for contrast a stream written without the commit wake-up (the relay only finds it by its
// fallback poll). The limit, in the same run on the same servers: each commit publishing its own event right after,
// confirmed, to a plain consumer (no outbox row, relay or MassTransit), steady and in bursts; the ratios compare the two.
using Egov.Steering.Bench;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.Messaging.Serialization;
using Egov.Steering.OutboxLatency;
using Egov.Steering.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using RabbitMQ.Client;

var events = Argument(0, 2000);
var rate = Argument(1, 500);
var burst = Argument(2, 100);
const int WarmUpEvents = 1000;
var postgres = Environment.GetEnvironmentVariable("STEERING_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=postgres";
var rabbitMq = new Uri(Environment.GetEnvironmentVariable("STEERING_TEST_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/");
Console.WriteLine($"outbox latency: {events} events, steady {rate}/s, bursts of {burst}; usage: dotnet run -c Release --project bench/OutboxLatency -- [events] [rate] [burst]");

var databaseName = $"bench_outbox_{Guid.NewGuid():N}";
await ExecuteAsync(postgres, $"CREATE DATABASE \"{databaseName}\"");
var connectionString = new NpgsqlConnectionStringBuilder(postgres) { Database = databaseName }.ConnectionString;
var topology = $"bench.outbox.{Guid.NewGuid():N}";
var probe = new LatencyProbe();

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(probe);
builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
// The context as the services register theirs: pooled, prepared statements, the same execution strategy.
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Storage:Provider"] = "PostgreSQL",
    ["ConnectionStrings:Database"] = connectionString,
    ["Bus:Transport"] = "RabbitMQ",
    ["ConnectionStrings:RabbitMQ"] = rabbitMq.ToString(),
    ["Cache:Provider"] = "Memory",
});
builder.AddServiceDbContext<BenchDbContext>();
builder.Services.AddSingleton<ProtobufMessageTypes>();
builder.Services.AddMassTransit(bus =>
{
    bus.AddConsumer<LatencyConsumer>();
    bus.UsingRabbitMq((context, rabbit) =>
    {
        rabbit.Host(rabbitMq, host => host.PublisherConfirmation = true);
        rabbit.UseProtobufSerializer(context.GetRequiredService<ProtobufMessageTypes>());
        rabbit.Message<EventEnvelope>(message => message.SetEntityName(topology + ".events"));
        rabbit.ReceiveEndpoint(topology + ".consumer", endpoint =>
        {
            endpoint.AutoDelete = true;
            endpoint.ConfigureConsumer<LatencyConsumer>(context);
        });
    });
});
builder.Services.AddOutboxRelay<BenchDbContext>();

using var host = builder.Build();
await using (var scope = host.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.EnsureCreatedAsync();
}

await host.StartAsync();
var rabbitMqConnection = await new ConnectionFactory { Uri = rabbitMq }.CreateConnectionAsync();
try
{
    var commits = new OutboxCommits(host.Services, probe, connectionString);
    var outbox = new Writer(committee => commits.CommitAsync(committee, wakeUp: true), probe);
    // Long enough for the relay's code to reach its final tier: after 100 events a pass's read still took twice its
    // settled time (the JIT's tiers, not the work).
    await outbox.SteadyAsync("warm-up", WarmUpEvents, rate);
    var steady = probe.Report("steady stream", await outbox.SteadyAsync("steady", events / 2, rate));
    var bursts = probe.Report($"bursts of {burst}, 4 writers", await outbox.BurstsAsync("burst", events / 2, burst));
    var unsignalled = new Writer(committee => commits.CommitAsync(committee, wakeUp: false), probe);
    probe.Report("no wake-up (fallback poll only)", await unsignalled.SteadyAsync("poll", Math.Min(200, events / 4), 50));

    await using var bareCommits = await BareCommits.StartAsync(connectionString, rabbitMqConnection, probe);
    var bare = new Writer(bareCommits.CommitAsync, probe);
    await bare.SteadyAsync("bare-warm-up", WarmUpEvents, rate);
    var steadyLimit = probe.Report("limit: steady, commit then publish", await bare.SteadyAsync("bare-steady", events / 2, rate));
    var burstsLimit = probe.Report($"limit: bursts of {burst}", await bare.BurstsAsync("bare-burst", events / 2, burst));
    Console.WriteLine($"outbox ÷ limit: steady p50 {steady.P50 / steadyLimit.P50:F1}×  p99 {steady.P99 / steadyLimit.P99:F1}×   bursts p50 {bursts.P50 / burstsLimit.P50:F1}×  p99 {bursts.P99 / burstsLimit.P99:F1}×");
}
finally
{
    await rabbitMqConnection.DisposeAsync();
    await host.StopAsync();
    NpgsqlConnection.ClearAllPools();
    await ExecuteAsync(postgres, $"DROP DATABASE \"{databaseName}\" WITH (FORCE)");
}

return 0;

int Argument(int index, int fallback) => args.Length > index && int.TryParse(args[index], out var value) ? value : fallback;

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}
