// Delivery latency and memory of the WatchEvents fan-out: N concurrent streams on one Notifications instance.
//
//   eval "$(eng/infra.sh env)"   # or set STEERING_TEST_POSTGRES / STEERING_TEST_RABBITMQ
//   dotnet run -c Release --project bench/WatchFanout -- [streams=1000] [events=200] [rate=50]
//
// The service runs in this process as its Program.cs builds it, on Kestrel (HTTP/2 on a loopback port) against the
// real PostgreSQL and RabbitMQ; every stream is a real gRPC client call over that port. Events are sent to the
// service's queue the way the other services' events arrive, and the latency of each (event, stream) pair runs from
// that send to the stream's receipt, on one clock. The memory figures are this process's, so they include the client
// side of the streams: per stream, they are an upper bound of what the service spends.
using System.Collections.Concurrent;
using System.Diagnostics;
using Egov.Steering.Events.V1;
using Egov.Steering.Notifications;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Storage;
using Egov.Steering.Types.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using HdrHistogram;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

var streams = Argument(0, 1000);
var events = Argument(1, 200);
var rate = Argument(2, 50);
var postgres = Environment.GetEnvironmentVariable("STEERING_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=postgres";
var rabbitMq = Environment.GetEnvironmentVariable("STEERING_TEST_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/";
Console.WriteLine($"watch fan-out: {streams} streams, {events} events at {rate}/s; usage: dotnet run -c Release --project bench/WatchFanout -- [streams] [events] [rate]");

var databaseName = $"bench_watch_{Guid.NewGuid():N}";
await ExecuteAsync(postgres, $"CREATE DATABASE \"{databaseName}\"");
var prefix = $"bench-watch-{Guid.NewGuid():N}"[..24];
var grpcUrl = $"http://127.0.0.1:{FreePort()}";
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" }); // accepts development tokens
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Kestrel:Endpoints:Grpc:Url"] = grpcUrl,
    ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
    ["Storage:Provider"] = "PostgreSQL",
    ["ConnectionStrings:Database"] = new NpgsqlConnectionStringBuilder(postgres) { Database = databaseName }.ConnectionString,
    ["Bus:Transport"] = "RabbitMQ",
    ["ConnectionStrings:RabbitMQ"] = rabbitMq,
    ["Cache:Provider"] = "Memory",
    ["Messaging:EndpointPrefix"] = prefix,
    ["Messaging:TopologyPrefix"] = prefix,
    ["Notifications:PublicExchange:Exchange"] = prefix + ".events",
    // Every stream is the same caller here; the limits must not refuse what is measured.
    ["Notifications:Feed:MaxStreamsPerCaller"] = (streams + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Notifications:Feed:MaxStreams"] = (streams + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
});
builder.AddServiceDefaults();
builder.AddNotifications();
var app = builder.Build();
app.MapDefaultEndpoints();
app.MapNotifications();
await app.MigrateDatabaseAsync<NotificationsDbContext>();
await app.StartAsync();
using var channel = GrpcChannel.ForAddress(grpcUrl); // opens more HTTP/2 connections past Kestrel's 100 streams each
using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // the run ends even if deliveries stop
try
{
    await app.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromMinutes(1));
    var feed = app.Services.GetRequiredService<EventFeed>();
    var client = new NotificationsService.NotificationsServiceClient(channel);
    var token = new Metadata { { "Authorization", "Bearer " + DevelopmentTokens.Mint("national", [SteeringScopes.Read], TimeSpan.FromHours(1), "bench") } };

    // Through the exchange bound to the service's queue: a queue: address would declare the (quorum) queue again as a
    // classic one, which the broker refuses.
    var endpoint = await app.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"exchange:{prefix}-event-log"));
    var sentAt = new ConcurrentDictionary<string, long>();

    // Warm-up through one stream: the first events pay for JIT compilation and connection pools on every path.
    using (var warmUp = client.WatchEvents(new WatchEventsRequest(), token, cancellationToken: deadline.Token))
    {
        await WaitForSubscribersAsync(1);
        var warmUpReader = ReceiveAsync(warmUp, 50, deadline.Token);
        await SendAsync(50);
        await warmUpReader;
    }

    await WaitForSubscribersAsync(0);
    var before = Memory.Measure();
    var calls = Enumerable.Range(0, streams)
        .Select(_ => client.WatchEvents(new WatchEventsRequest(), token, cancellationToken: deadline.Token)) // from now on
        .ToList();
    await WaitForSubscribersAsync(streams);
    var opened = Memory.Measure();
    Memory.Report(streams, before, opened);

    var readers = calls.Select(call => Task.Run(() => ReceiveAsync(call, events, deadline.Token))).ToList();
    var started = Stopwatch.GetTimestamp();
    await SendAsync(events);
    var received = await Task.WhenAll(readers);
    var histogram = new LongHistogram(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3);
    foreach (var (id, at) in received.SelectMany(stream => stream))
    {
        histogram.RecordValue(Math.Max(0, (at - sentAt[id]) * 1_000_000 / Stopwatch.Frequency));
    }

    static string Ms(long microseconds) => $"{microseconds / 1000.0,8:F2}";
    Console.WriteLine(
        $"send-to-receipt over {histogram.TotalCount} deliveries ({streams} streams x {events} events) in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s" +
        $"   ms: p50 {Ms(histogram.GetValueAtPercentile(50))}  p90 {Ms(histogram.GetValueAtPercentile(90))}" +
        $"  p99 {Ms(histogram.GetValueAtPercentile(99))}  max {Ms(histogram.GetMaxValue())}");
    calls.ForEach(call => call.Dispose());

    async Task WaitForSubscribersAsync(int count)
    {
        while (feed.SubscriberCount != count)
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    // At <rate> events per second, each stamped as it is sent.
    async Task SendAsync(int count)
    {
        var start = Stopwatch.GetTimestamp();
        for (var sent = 1; sent <= count; sent++)
        {
            var envelope = Event();
            sentAt[envelope.Id] = Stopwatch.GetTimestamp();
            await endpoint.Send(envelope, context => context.MessageId = Guid.Parse(envelope.Id), deadline.Token);
            var due = start + (sent * Stopwatch.Frequency / rate);
            if (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due), deadline.Token);
            }
        }
    }
}
finally
{
    await app.StopAsync();
    await app.DisposeAsync();
    NpgsqlConnection.ClearAllPools();
    await ExecuteAsync(postgres, $"DROP DATABASE \"{databaseName}\" WITH (FORCE)");
}

return 0;

int Argument(int index, int fallback) => args.Length > index && int.TryParse(args[index], out var value) ? value : fallback;

// The arrival time of each of the stream's first `count` events.
static async Task<List<(string Id, long At)>> ReceiveAsync(AsyncServerStreamingCall<WatchEventsResponse> call, int count, CancellationToken cancellationToken)
{
    var arrivals = new List<(string, long)>(count);
    while (arrivals.Count < count && await call.ResponseStream.MoveNext(cancellationToken))
    {
        if (call.ResponseStream.Current.Event is { } envelope)
        {
            arrivals.Add((envelope.Id, Stopwatch.GetTimestamp()));
        }
    }

    return arrivals;
}

// Each of another committee: a version that overtakes its predecessor in the service's consumer waits for it, which
// is the inbox's latency, not the fan-out's.
static EventEnvelope Event()
{
    var committee = $"committees/bench-{Guid.NewGuid():N}"[..32];
    return new EventEnvelope
    {
        Id = Guid.CreateVersion7().ToString(),
        Type = MembershipStarted.Descriptor.FullName,
        Source = "//membership.steering.egov.gov.vn",
        Subject = committee,
        Time = Timestamp.FromDateTime(DateTime.UtcNow),
        Aggregate = committee,
        AggregateVersion = 1,
        CommitteeLevel = CommitteeLevel.Province,
        Jurisdiction = "province-2025-52",
        Committee = committee,
        MembershipStarted = new MembershipStarted(),
    };
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

/// <summary>This process's working set and managed heap after a full collection.</summary>
internal readonly record struct Memory(long WorkingSet, long GcHeap)
{
    public static Memory Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return new Memory(process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));
    }

    public static void Report(int streams, Memory before, Memory after)
    {
        static string Mib(long bytes) => $"{bytes / 1024.0 / 1024.0,7:F1} MiB";
        static string Kib(double bytes) => $"{bytes / 1024.0,6:F1} KiB";
        Console.WriteLine($"working set {Mib(before.WorkingSet)} -> {Mib(after.WorkingSet)}   per stream {Kib((after.WorkingSet - before.WorkingSet) / (double)streams)}");
        Console.WriteLine($"GC heap     {Mib(before.GcHeap)} -> {Mib(after.GcHeap)}   per stream {Kib((after.GcHeap - before.GcHeap) / (double)streams)}");
    }
}
