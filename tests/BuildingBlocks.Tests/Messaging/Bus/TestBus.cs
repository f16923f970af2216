using System.Collections.Concurrent;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging;
using Egov.Steering.ServiceDefaults.Health;
using Egov.Steering.ServiceDefaults.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Egov.Steering.TestSupport;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging.Bus;

/// <summary>
/// A host built with <see cref="MessagingExtensions.AddMessaging"/> as a service builds it, on the shared broker with a
/// queue-name prefix of its own; disposing it deletes the queues and exchanges it created there.
/// </summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ConcurrentBag<string>? _queuesOnSharedBroker;

    private TestBus(IHost host, string prefix, ConcurrentBag<string>? queuesOnSharedBroker)
    {
        _host = host;
        _queuesOnSharedBroker = queuesOnSharedBroker;
        Prefix = prefix;
    }

    public string Prefix { get; }

    public IServiceProvider Services => _host.Services;

    public IBus Bus => _host.Services.GetRequiredService<IBus>();

    public Deliveries Deliveries => _host.Services.GetRequiredService<Deliveries>();

    /// <param name="broker">A RabbitMQ of the test's own instead of the shared one (the test deletes it, not the queues).</param>
    /// <param name="settings">Settings added to the host's (Messaging:...).</param>
    public static async Task<TestBus> StartAsync(
        Action<IBusRegistrationConfigurator> configure,
        BusTransport transport = BusTransport.RabbitMQ,
        Uri? broker = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..12];
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["ConnectionStrings:Database"] = "Data Source=:memory:",
            ["Cache:Provider"] = "Memory",
            ["Bus:Transport"] = transport.ToString(),
            ["ConnectionStrings:RabbitMQ"] = transport == BusTransport.RabbitMQ ? (broker ?? TestInfrastructure.RabbitMqUri).ToString() : null,
            ["Messaging:EndpointPrefix"] = prefix,
            ["Messaging:TopologyPrefix"] = prefix,
            ["Messaging:RetryLimit"] = "2",
            ["Messaging:RetryMinInterval"] = "00:00:00.010",
            ["Messaging:RetryMaxInterval"] = "00:00:00.050",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton<Deliveries>();
        builder.Services.AddSingleton<Outage>();
        builder.Services.AddSingleton<Hold>();
        var ready = new BusReadyObserver();
        builder.Services.AddBusObserver(_ => ready);
        var queues = new ConcurrentBag<string>();
        builder.AddMessaging(bus =>
        {
            bus.AddConfigureEndpointsCallback((_, queue, _) => queues.Add(queue));
            configure(bus);
        });
        var host = builder.Build();
        await host.StartAsync();

        // Queues exist only once the bus is connected: an event published before would find no binding.
        await ready.Ready.WaitAsync(TimeSpan.FromMinutes(2));
        return new TestBus(host, prefix, transport == BusTransport.RabbitMQ && broker is null ? queues : null);
    }

    /// <summary>The queue MassTransit names for a consumer of this bus (kebab case, prefixed).</summary>
    public string QueueOf<TConsumer>()
        where TConsumer : class, IConsumer =>
        Services.GetRequiredService<IEndpointNameFormatter>().Consumer<TConsumer>();

    /// <summary>The bus's liveness check (<c>bus-consumers</c>), as the orchestrator's probe reads it.</summary>
    public async Task<HealthReportEntry> ConsumersLivenessAsync()
    {
        var report = await Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Tags.Contains(HealthTags.Live));
        return report.Entries["bus-consumers"];
    }

    public static EventEnvelope NewEvent() => new()
    {
        Id = Guid.NewGuid().ToString(),
        Type = "egov.steering.events.v1.MembershipStarted",
        Source = "//membership.steering.egov.gov.vn",
        Subject = "committees/gia-lai/memberships/17",
        Time = Timestamp.FromDateTime(new DateTime(2025, 7, 1, 8, 30, 15, 123, DateTimeKind.Utc)),
        Aggregate = "committees/gia-lai",
        AggregateVersion = 42,
        CorrelationId = Guid.NewGuid().ToString(),
        Jurisdiction = "province-2025-52",
        Committee = "committees/gia-lai",
        MembershipStarted = new MembershipStarted
        {
            Membership = new Egov.Steering.Membership.V1.CommitteeMembership { Name = "committees/gia-lai/memberships/17" },
        },
    };

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (_queuesOnSharedBroker is not null)
        {
            await DeleteQueuesAsync(_queuesOnSharedBroker);
        }
    }

    /// <summary>Whether <paramref name="queue"/> is declared on the shared broker.</summary>
    public static async Task<bool> QueueExistsAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = TestInfrastructure.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }

    /// <summary>Messages waiting in <paramref name="queue"/> on the shared broker; none when it is not declared.</summary>
    public static async Task<uint> MessagesInAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = TestInfrastructure.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    /// <summary>
    /// Deletes <paramref name="queues"/> (with their error and skipped queues) and their exchanges from the shared broker:
    /// durable queues left bound to the shared event exchanges would collect every later test's events.
    /// </summary>
    public static async Task DeleteQueuesAsync(IEnumerable<string> queues)
    {
        var factory = new ConnectionFactory { Uri = TestInfrastructure.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var name in queues.SelectMany(queue => new[] { queue, queue + "_error", queue + "_skipped" }))
        {
            await channel.QueueDeleteAsync(name);
            await channel.ExchangeDeleteAsync(name);
        }
    }
}

/// <summary>Completes once the bus has connected and set up its queues.</summary>
public sealed class BusReadyObserver : IBusObserver
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception) => _ready.TrySetException(exception);

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public async Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        await busReady;
        _ready.TrySetResult();
    }

    public Task StartFaulted(IBus bus, Exception exception)
    {
        _ready.TrySetException(exception);
        return Task.CompletedTask;
    }

    public Task PreStop(IBus bus) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}

/// <summary>What the test consumers saw, by CloudEvents id (other tests publish on the same exchanges).</summary>
public sealed class Deliveries
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<object>> _received = new();

    public void Report(string eventId, object what) => Completion(eventId).TrySetResult(what);

    /// <summary>Waits for the delivery; the bound only stops a broken test from hanging the run.</summary>
    public async Task<T> WaitAsync<T>(string eventId) =>
        (T)await Completion(eventId).Task.WaitAsync(TimeSpan.FromMinutes(2));

    private TaskCompletionSource<object> Completion(string eventId) =>
        _received.GetOrAdd(eventId, _ => new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
}
