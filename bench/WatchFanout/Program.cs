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
//
// The limit, in the same run once the service has stopped: a bare Grpc.AspNetCore server (AddGrpc and one
// pre-serialized streaming method, nothing else) that writes the same bytes to as many WatchEvents streams at the
// same rate, straight from memory. The ratio of the two is what the service adds to the fan-out itself.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Egov.Steering.Access;
using Egov.Steering.Bench;
using Egov.Steering.Events.V1;
using Egov.Steering.Notifications;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.ServiceDefaults.Serialized;
using Egov.Steering.Storage;
using Egov.Steering.Types.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using HdrHistogram;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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
var grpcUrl = $"http://127.0.0.1:{Machine.FreePort()}";
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
using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(20)); // the run ends even if deliveries stop
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

    // Events through one stream first: the memory measured before the streams open then holds the code and pools of
    // every path, so the per-stream figure is the streams' own.
    using (var warmUp = client.WatchEvents(new WatchEventsRequest(), token, cancellationToken: deadline.Token))
    {
        await WaitForSubscribersAsync(1);
        var warmUpReader = ReceiveAsync(warmUp, 50, deadline.Token);
        await SendAsync(50, rate);
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

    await WarmUpAsync("service", calls, SendAsync);
    var service = await MeasureAsync(calls, events, rate, SendAsync);
    service.Print("service");
    calls.ForEach(call => call.Dispose());
    await app.StopAsync();

    await using var bare = await BareFanout.StartAsync(Machine.FreePort());
    using var bareChannel = GrpcChannel.ForAddress(bare.Address);
    var bareClient = new NotificationsService.NotificationsServiceClient(bareChannel);
    var bareCalls = Enumerable.Range(0, streams).Select(_ => bareClient.WatchEvents(new WatchEventsRequest(), cancellationToken: deadline.Token)).ToList();
    await WaitForBareStreamsAsync(streams);
    await WarmUpAsync("bare gRPC server", bareCalls, BroadcastAsync);
    var limit = await MeasureAsync(bareCalls, events, rate, BroadcastAsync);
    limit.Print("bare gRPC server (limit)");
    bareCalls.ForEach(call => call.Dispose());
    Console.WriteLine(
        $"service / limit: p50 {service.P(50) / (double)Math.Max(1, limit.P(50)):F1}x  p99 {service.P(99) / (double)Math.Max(1, limit.P(99)):F1}x" +
        $"  deliveries/s {service.Rate / limit.Rate:F2}");

    // Rounds of 50 events a second through every stream until the JIT's tiering thread is nearly idle (at most 60).
    // After a fixed warm-up the JIT was still recompiling (18% of the process's CPU) while the service was measured,
    // and the side measured second found the paths both share (the clients', Kestrel's) compiled. It takes the service
    // ~16-23 rounds (~35 with the runtime's default call-counting delay; thousands of async methods, each compiled three
    // times with PGO), the bare server ~8.
    async Task WarmUpAsync(string label, List<AsyncServerStreamingCall<WatchEventsResponse>> opened, Func<int, int, Task> send)
    {
        int[] self = [Environment.ProcessId];
        for (var round = 1; round <= 60; round++)
        {
            var tieringBefore = ProcStat.TieredCompilation(self);
            var cpuBefore = ProcStat.OfProcess(Environment.ProcessId);
            await MeasureAsync(opened, 50, 50, send);
            var tiering = ProcStat.TieredCompilationMsSince(tieringBefore, self);
            var cpu = (ProcStat.OfProcess(Environment.ProcessId) - cpuBefore).TotalMilliseconds;
            Console.WriteLine($"{label} warm-up round {round}: 50 events, tiered JIT {tiering:F0} of {cpu:F0} ms of CPU");
            if (tiering < cpu / 100)
            {
                return;
            }
        }
    }

    // Every stream's arrivals against the send times, while `send` sends `count` events at `perSecond`.
    async Task<Deliveries> MeasureAsync(
        List<AsyncServerStreamingCall<WatchEventsResponse>> opened, int count, int perSecond, Func<int, int, Task> send)
    {
        var readers = opened.Select(call => Task.Run(() => ReceiveAsync(call, count, deadline.Token))).ToList();
        var started = Stopwatch.GetTimestamp();
        await send(count, perSecond);
        var received = await Task.WhenAll(readers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var histogram = new LongHistogram(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3);
        foreach (var (id, at) in received.SelectMany(stream => stream))
        {
            histogram.RecordValue(Math.Max(0, (at - sentAt[id]) * 1_000_000 / Stopwatch.Frequency));
        }

        return new Deliveries(histogram, opened.Count, count, elapsed);
    }

    async Task WaitForSubscribersAsync(int count)
    {
        while (feed.SubscriberCount != count)
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    Task SendAsync(int count, int perSecond) => Paced(count, perSecond, async () =>
    {
        var envelope = Event();
        sentAt[envelope.Id] = Stopwatch.GetTimestamp();
        await endpoint.Send(envelope, context => context.MessageId = Guid.Parse(envelope.Id), deadline.Token);
    });

    Task BroadcastAsync(int count, int perSecond) => Paced(count, perSecond, () =>
    {
        var envelope = Event();
        sentAt[envelope.Id] = Stopwatch.GetTimestamp();
        bare.Broadcast(envelope);
        return Task.CompletedTask;
    });

    async Task WaitForBareStreamsAsync(int count)
    {
        while (bare.Streams != count)
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    // `send` <count> times at <perSecond>, without waiting for one to finish (the broker's confirmation)
    // before the next is due.
    async Task Paced(int count, int perSecond, Func<Task> send)
    {
        var start = Stopwatch.GetTimestamp();
        var sending = new List<Task>(count);
        for (var sent = 1; sent <= count; sent++)
        {
            sending.Add(send());
            var due = start + (sent * Stopwatch.Frequency / perSecond);
            if (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due), deadline.Token);
            }
        }

        await Task.WhenAll(sending);
    }
}
finally
{
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

/// <summary>The send-to-receipt latencies of one run.</summary>
internal sealed record Deliveries(LongHistogram Histogram, int Streams, int Events, TimeSpan Elapsed)
{
    public double Rate => Histogram.TotalCount / Elapsed.TotalSeconds;

    public long P(double percentile) => Histogram.GetValueAtPercentile(percentile);

    public void Print(string label)
    {
        static string Ms(long microseconds) => $"{microseconds / 1000.0,8:F2}";
        Console.WriteLine(
            $"{label}: send-to-receipt over {Histogram.TotalCount} deliveries ({Streams} streams x {Events} events) in {Elapsed.TotalSeconds:F1} s, {Rate:N0}/s" +
            $"   ms: p50 {Ms(P(50))}  p90 {Ms(P(90))}  p99 {Ms(P(99))}  max {Ms(Histogram.GetMaxValue())}");
    }
}

/// <summary>
/// The limit: nothing but AddGrpc and WatchEvents as a pre-serialized method on Kestrel (HTTP/2, loopback), every
/// stream writing each event's bytes, serialized once, from an unbounded buffer of its own.
/// </summary>
internal sealed class BareFanout : ISerializedMethods<BareFanout>, IAsyncDisposable
{
    private readonly ConcurrentDictionary<Channel<SerializedMessage>, bool> _streams = new();
    private WebApplication? _app;

    public Uri Address { get; private set; } = null!;

    public int Streams => _streams.Count;

    public static async Task<BareFanout> StartAsync(int port)
    {
        var fanout = new BareFanout { Address = new Uri($"http://127.0.0.1:{port}") };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(fanout);
        builder.Services.AddSerializedMethods<BareFanout>();
        fanout._app = builder.Build();
        fanout._app.MapSerializedMethods<BareFanout>();
        await fanout._app.StartAsync();
        return fanout;
    }

    public static void Bind(SerializedMethodBinder<BareFanout> binder) =>
        binder.ServerStreaming(
            NotificationsService.Descriptor, nameof(NotificationsService.NotificationsServiceBase.WatchEvents), WatchEventsRequest.Parser,
            (fanout, _, writer, call) => fanout.StreamAsync(writer, call.CancellationToken));

    public void Broadcast(EventEnvelope envelope)
    {
        var bytes = SerializedMessage.Of(new WatchEventsResponse { Event = envelope });
        foreach (var stream in _streams.Keys)
        {
            stream.Writer.TryWrite(bytes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task StreamAsync(IServerStreamWriter<SerializedMessage> writer, CancellationToken cancellationToken)
    {
        var buffer = Channel.CreateUnbounded<SerializedMessage>(new UnboundedChannelOptions { SingleReader = true });
        _streams[buffer] = true;
        try
        {
            await foreach (var message in buffer.Reader.ReadAllAsync(cancellationToken))
            {
                await writer.WriteAsync(message, cancellationToken);
            }
        }
        finally
        {
            _streams.TryRemove(buffer, out _);
        }
    }
}
