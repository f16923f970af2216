using Egov.Steering.Access;
using Egov.Steering.Decisions;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Membership;
using Egov.Steering.Membership.Events;
using Egov.Steering.Membership.V1;
using Egov.Steering.Messaging;
using Egov.Steering.Notifications;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using Npgsql;
using RabbitMQ.Client;

namespace Egov.Steering.Integration.Tests.Support;

/// <summary>
/// Membership, Decisions and Notifications, each on a fresh PostgreSQL database of its own, sharing a RabbitMQ (queues
/// and a public exchange of their own, deleted afterwards) and the real Redis. Decisions reaches Membership over real
/// gRPC (<c>Services:Membership</c>); Notifications logs every event the other two publish.
/// </summary>
public sealed class SteeringSystem : IAsyncDisposable
{
    private readonly Uri broker;
    private readonly string prefix;
    private readonly IReadOnlyList<string> clusterNodes;
    private readonly Action<string, IDictionary<string, string?>>? configure;
    private string membershipDatabase;
    private string decisionsDatabase;
    private string notificationsDatabase;

    private SteeringSystem(
        Uri broker,
        IReadOnlyList<string> clusterNodes,
        Action<string, IDictionary<string, string?>>? configure,
        string prefix,
        (string Membership, string Decisions, string Notifications) databases,
        ServiceHost membership,
        ServiceHost decisions,
        ServiceHost notifications)
    {
        this.broker = broker;
        this.clusterNodes = clusterNodes;
        this.configure = configure;
        this.prefix = prefix;
        (membershipDatabase, decisionsDatabase, notificationsDatabase) = databases;
        Membership = membership;
        Decisions = decisions;
        Notifications = notifications;
    }

    public ServiceHost Membership { get; private set; }

    public ServiceHost Decisions { get; private set; }

    public ServiceHost Notifications { get; private set; }

    /// <summary>The three services, for tests over every RPC of the system (<see cref="ServiceHost.GrpcServices"/>).</summary>
    public IReadOnlyList<ServiceHost> Hosts => [Membership, Decisions, Notifications];

    /// <summary>The public topic exchange Notifications republishes the log on (one per system).</summary>
    public string PublicExchangeName => PublicExchange(prefix);

    /// <summary>Connection string of Decisions' database.</summary>
    public string DecisionsDatabase => decisionsDatabase;

    /// <summary>
    /// Runs <paramref name="wait"/>; when it times out, the timeout says where each service's messages stand
    /// (<see cref="MessagingStateAsync"/>) and what <paramref name="brokerState"/> reports, so a stalled hop names its side.
    /// </summary>
    public async Task ExplainingTimeoutAsync(Func<Task> wait, Func<Task<string>>? brokerState = null)
    {
        try
        {
            await wait();
        }
        catch (TimeoutException timeout)
        {
            var state = await MessagingStateAsync();
            var queues = brokerState is null ? "" : Environment.NewLine + await brokerState();
            throw new TimeoutException(timeout.Message + Environment.NewLine + state + queues, timeout);
        }
    }

    /// <summary>
    /// Where each service's messages stand, for a wait that timed out: rows its relay has not published (and why), and
    /// how many messages its consumers recorded and parked — which side of a hop stopped.
    /// </summary>
    private async Task<string> MessagingStateAsync()
    {
        var lines = new List<string>();
        foreach (var (service, database) in new[] { ("membership", membershipDatabase), ("decisions", decisionsDatabase), ("notifications", notificationsDatabase) })
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SELECT (SELECT count(*) FROM outbox_messages WHERE published_at IS NULL),
                       (SELECT max(attempts) FROM outbox_messages WHERE published_at IS NULL),
                       (SELECT last_error FROM outbox_messages WHERE published_at IS NULL AND last_error IS NOT NULL ORDER BY sequence DESC LIMIT 1),
                       (SELECT count(*) FROM inbox_messages),
                       (SELECT count(*) FROM inbox_parked_messages)
                """,
                connection);
            await using var row = await command.ExecuteReaderAsync();
            await row.ReadAsync();
            lines.Add($"{service}: {row.GetInt64(0)} unpublished (attempts up to {(row.IsDBNull(1) ? 0 : row.GetInt32(1))}, last error: {(row.IsDBNull(2) ? "none" : row.GetString(2))}); inbox {row.GetInt64(3)} recorded, {row.GetInt64(4)} parked");
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <param name="broker">The RabbitMQ every service connects to first.</param>
    /// <param name="clusterNodes">The other nodes of its cluster (<c>Messaging:ClusterNodes</c>), if it is one.</param>
    /// <param name="configure">Adds settings to a service's ("membership", "decisions", "notifications") before it starts.</param>
    public static async Task<SteeringSystem> StartAsync(
        Uri broker, IReadOnlyList<string>? clusterNodes = null, Action<string, IDictionary<string, string?>>? configure = null)
    {
        clusterNodes ??= [];
        var prefix = "it-" + Guid.NewGuid().ToString("N")[..12];
        var databases = (
            Membership: await TestInfrastructure.CreateDatabaseAsync("membership_it"),
            Decisions: await TestInfrastructure.CreateDatabaseAsync("decisions_it"),
            Notifications: await TestInfrastructure.CreateDatabaseAsync("notifications_it"));
        var membership = await StartMembershipAsync(broker, clusterNodes, configure, prefix, databases.Membership);
        var decisions = await StartDecisionsAsync(broker, clusterNodes, configure, prefix, databases.Decisions, membership.Address);
        var notifications = await StartNotificationsAsync(broker, clusterNodes, configure, prefix, databases.Notifications);
        return new SteeringSystem(broker, clusterNodes, configure, prefix, databases, membership, decisions, notifications);
    }

    /// <summary>
    /// Stops the three services, gives each database to <paramref name="restore"/> (service name, connection string →
    /// the connection string of the database to run on from now) and starts them again on the same queues, as an
    /// operator restoring backups does (with the release step, which migrates and declares the queues).
    /// </summary>
    public async Task RestoreAsync(Func<string, string, Task<string>> restore)
    {
        await Notifications.DisposeAsync();
        await Decisions.DisposeAsync();
        await Membership.DisposeAsync();
        membershipDatabase = await restore(Membership.Name, membershipDatabase);
        decisionsDatabase = await restore(Decisions.Name, decisionsDatabase);
        notificationsDatabase = await restore(Notifications.Name, notificationsDatabase);
        Membership = await StartMembershipAsync(broker, clusterNodes, configure, prefix, membershipDatabase);
        Decisions = await StartDecisionsAsync(broker, clusterNodes, configure, prefix, decisionsDatabase, Membership.Address);
        Notifications = await StartNotificationsAsync(broker, clusterNodes, configure, prefix, notificationsDatabase);
    }

    /// <summary>
    /// Stops Decisions and starts it again on the same database with <paramref name="decisionsBroker"/>: what it
    /// committed to its outbox while the previous instance could not reach a broker is published by the new one.
    /// </summary>
    /// <param name="whileStopped">Runs between the stop and the start, when no relay touches the outbox.</param>
    public async Task RestartDecisionsAsync(Uri decisionsBroker, bool brokerIsUp = true, Func<Task>? whileStopped = null)
    {
        await Decisions.DisposeAsync();
        if (whileStopped is not null)
        {
            await whileStopped();
        }

        // A restart, not a release: no migrate, which would need the broker that may be down on purpose.
        Decisions = await StartDecisionsAsync(decisionsBroker, clusterNodes, configure, prefix, decisionsDatabase, Membership.Address, brokerIsUp, release: false);
    }

    public MembershipService.MembershipServiceClient MembershipClient(string organisation) =>
        new(Membership.Channel(organisation, SteeringScopes.Read, SteeringScopes.Write));

    public MembershipService.MembershipServiceClient MembershipAdmin() =>
        new(Membership.Channel(Organisations.National, SteeringScopes.Read, SteeringScopes.Write, SteeringScopes.Admin));

    public DecisionsService.DecisionsServiceClient DecisionsClient(string organisation) =>
        new(Decisions.Channel(organisation, SteeringScopes.Read, SteeringScopes.Write));

    public NotificationsService.NotificationsServiceClient NotificationsClient(string organisation) =>
        new(Notifications.Channel(organisation, SteeringScopes.Read, SteeringScopes.Write));

    public async ValueTask DisposeAsync()
    {
        await Notifications.DisposeAsync();
        await Decisions.DisposeAsync();
        await Membership.DisposeAsync();

        // Durable queues left bound to the event exchange would collect every later test's events.
        await using var connection = await new RabbitMqBroker(broker, new MessagingOptions { ClusterNodes = [.. clusterNodes] })
            .ConnectAsync("integration-tests", CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in new[] { $"{prefix}-membership-decision-events", $"{prefix}-decisions-decision-outcome", $"{prefix}-notifications-event-log" })
        {
            foreach (var name in new[] { queue, queue + "_error", queue + "_skipped" })
            {
                await channel.QueueDeleteAsync(name);
                await channel.ExchangeDeleteAsync(name);
            }
        }

        await channel.ExchangeDeleteAsync(PublicExchange(prefix));
    }

    private static Task<ServiceHost> StartMembershipAsync(
        Uri broker, IReadOnlyList<string> clusterNodes, Action<string, IDictionary<string, string?>>? configure, string prefix, string database)
        => ServiceHost.StartAsync(
        "membership",
        Configured("membership", configure, new Dictionary<string, string?>(Infrastructure(broker, clusterNodes, database))
        {
            ["Messaging:EndpointPrefix"] = $"{prefix}-membership",
            ["Views:KeyPrefix"] = $"{prefix}:views:",
        }),
        builder =>
        {
            builder.AddServiceDefaults();
            builder.AddMembership();
        },
        app =>
        {
            app.MapDefaultEndpoints();
            app.MapMembership();
        },
        (app, args) => app.RunMembershipAsync(args));

    private static Task<ServiceHost> StartDecisionsAsync(
        Uri broker,
        IReadOnlyList<string> clusterNodes,
        Action<string, IDictionary<string, string?>>? configure,
        string prefix,
        string database,
        Uri membership,
        bool brokerIsUp = true,
        bool release = true)
        => ServiceHost.StartAsync(
        "decisions",
        Configured("decisions", configure, new Dictionary<string, string?>(Infrastructure(broker, clusterNodes, database))
        {
            ["Messaging:EndpointPrefix"] = $"{prefix}-decisions",
            ["Services:Membership"] = membership.ToString(),
        }),
        builder =>
        {
            builder.AddServiceDefaults();
            builder.AddDecisions();
        },
        app =>
        {
            app.MapDefaultEndpoints();
            app.MapDecisions();
        },
        (app, args) => app.RunDecisionsAsync(args),
        brokerIsUp,
        release);

    private static Task<ServiceHost> StartNotificationsAsync(
        Uri broker, IReadOnlyList<string> clusterNodes, Action<string, IDictionary<string, string?>>? configure, string prefix, string database)
        => ServiceHost.StartAsync(
        "notifications",
        Configured("notifications", configure, new Dictionary<string, string?>(Infrastructure(broker, clusterNodes, database))
        {
            ["Messaging:EndpointPrefix"] = $"{prefix}-notifications",
            ["Notifications:PublicExchange:Exchange"] = PublicExchange(prefix),
            ["Notifications:Feed:MetricsInterval"] = "00:00:00.200",
        }),
        builder =>
        {
            builder.AddServiceDefaults();
            builder.AddNotifications();
        },
        app =>
        {
            app.MapDefaultEndpoints();
            app.MapNotifications();
        },
        (app, args) => app.RunNotificationsAsync(args));

    private static string PublicExchange(string prefix) => $"{prefix}.events";

    private static Dictionary<string, string?> Configured(
        string service, Action<string, IDictionary<string, string?>>? configure, Dictionary<string, string?> settings)
    {
        configure?.Invoke(service, settings);
        return settings;
    }

    private static Dictionary<string, string?> Infrastructure(Uri broker, IReadOnlyList<string> clusterNodes, string database) => new(
        clusterNodes.Select((node, index) => KeyValuePair.Create($"Messaging:ClusterNodes:{index}", (string?)node)))
    {
        ["Storage:Provider"] = "PostgreSQL",
        ["ConnectionStrings:Database"] = database,
        ["Bus:Transport"] = "RabbitMQ",
        ["ConnectionStrings:RabbitMQ"] = broker.ToString(),
        ["Cache:Provider"] = "Redis",
        ["ConnectionStrings:Redis"] = TestInfrastructure.RedisConfiguration,
        ["Outbox:MaxRetryDelay"] = "00:00:01",
        ["Messaging:RetryMinInterval"] = "00:00:00.100",
        ["Messaging:RetryMaxInterval"] = "00:00:01",
    };
}
