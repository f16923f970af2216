// Commit-to-consumer latency of the transactional outbox over a real PostgreSQL and RabbitMQ.
//
//   eval "$(eng/infra.sh env)"   # or set STEERING_TEST_POSTGRES / STEERING_TEST_RABBITMQ
//   dotnet run -c Release --project bench/OutboxLatency -- [events=2000] [rate=500] [burst=100]
//
// Phases: a steady stream at <rate> commits/s, bursts of <burst> commits from 4 writers at once, and for
// contrast a stream written without the commit wake-up (the relay only finds it by its fallback poll).
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.Messaging.Serialization;
using Egov.Steering.OutboxLatency;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

var events = Argument(0, 2000);
var rate = Argument(1, 500);
var burst = Argument(2, 100);
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
builder.Services.AddDbContext<BenchDbContext>((services, options) => options
    .UseNpgsql(connectionString)
    .UseSnakeCaseNamingConvention()
    .AddInterceptors(services.GetServices<IInterceptor>()));
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
try
{
    var writer = new Writer(host.Services, probe, connectionString);
    await writer.SteadyAsync("warm-up", 100, rate);
    probe.Report("steady stream", await writer.SteadyAsync("steady", events / 2, rate));
    probe.Report($"bursts of {burst}, 4 writers", await writer.BurstsAsync("burst", events / 2, burst));
    probe.Report("no wake-up (fallback poll only)", await writer.SteadyAsync("poll", Math.Min(200, events / 4), 50, wakeUp: false));
}
finally
{
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
