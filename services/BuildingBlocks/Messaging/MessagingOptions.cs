using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Messaging;

/// <summary>The <c>Messaging</c> configuration section: how a service names its queues and handles failures.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>Prefix of this service's queue names (e.g. <c>membership</c> → <c>membership-decision-issued</c>).</summary>
    public string? EndpointPrefix { get; set; }

    /// <summary>What this service's queue names start with: <see cref="EndpointPrefix"/> and one dash, or nothing.</summary>
    public string QueueNamePrefix => string.IsNullOrWhiteSpace(EndpointPrefix) ? "" : EndpointPrefix.TrimEnd('-') + "-";

    /// <summary>
    /// Prefix of the exchanges events are published to and consumed from. Services that talk to each other share it;
    /// separate environments (or test runs) on one broker use different ones so they never see each other's events.
    /// Empty in a normal deployment.
    /// </summary>
    public string? TopologyPrefix { get; set; }

    /// <summary>
    /// Immediate retries of a failing message, spaced exponentially between the two intervals. A transient failure of
    /// the database (<c>TransientFailures</c>: unreachable, restarting, a timeout) is counted apart, against
    /// <see cref="TransientRetryLimit"/>.
    /// </summary>
    public int RetryLimit { get; set; } = 5;

    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Retries of a message whose handling met a transient failure of the database (a restart, a failover), at the
    /// same intervals: 120 wait ~20 minutes at the default ones, through an outage, and end inside RabbitMQ's
    /// <c>consumer_timeout</c> (30 minutes by default, after which the broker would take the unacknowledged message
    /// back and deliver it again, counting the delivery); then the message goes to the error queue.
    /// </summary>
    public int TransientRetryLimit { get; set; } = 120;

    /// <summary>
    /// Later redeliveries once the retries are exhausted (e.g. a dependency down for minutes); empty turns them off.
    /// On RabbitMQ they need the <c>rabbitmq_delayed_message_exchange</c> plugin on the broker.
    /// </summary>
    public TimeSpan[] RedeliveryIntervals { get; set; } = [];

    /// <summary>
    /// How long the <c>migrate</c> verb waits for RabbitMQ to declare this service's queues and bindings before it fails
    /// (an unreachable broker fails the release step instead of hanging it).
    /// </summary>
    public TimeSpan DeployTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long <c>migrate</c> waits for its deployment's bus to stop once the queues are declared: MassTransit's stop can
    /// wait for ever on an endpoint that is still (re)connecting, and the release must not hang on it.
    /// </summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the parked messages of each database are counted for <c>steering.inbox.parked</c>.</summary>
    public TimeSpan ParkedCountInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often each inbox consumer handles the parked messages that are ready but were not released (the releasing
    /// process died after its commit, or the parked message's own handling failed).
    /// </summary>
    public TimeSpan ParkedReleaseInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the broker is asked whether each queue this service consumes has a consumer (RabbitMQ): a queue found
    /// without one at two checks in a row, while MassTransit reports its endpoint healthy, restarts the bus; at eight,
    /// while it does not, restarts the endpoint, and at eight more fails liveness (<see cref="ConsumerWatchdog"/>).
    /// </summary>
    public TimeSpan ConsumerCheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Messages fetched ahead per queue; MassTransit's default when unset.</summary>
    public int? PrefetchCount { get; set; }

    /// <summary>
    /// The type of the consumers' durable queues on RabbitMQ (<see cref="RabbitMqQueueType"/>). Quorum queues are
    /// replicated over the cluster's nodes and survive the loss of a minority of them; a queue's type cannot change in
    /// place, see the Messaging README for moving an existing deployment's classic queues.
    /// </summary>
    public RabbitMqQueueType QueueType { get; set; } = RabbitMqQueueType.Quorum;

    /// <summary>Replicas of each quorum queue; the broker's default (every node of the cluster at declaration) when unset.</summary>
    public int? QuorumReplicationFactor { get; set; }

    /// <summary>
    /// The other nodes of the RabbitMQ cluster, <c>host</c> or <c>host:port</c>, besides the host of
    /// <c>ConnectionStrings:RabbitMQ</c> (which gives the credentials and virtual host): a connection lost with its node
    /// is reopened on the next one that answers.
    /// </summary>
    public string[] ClusterNodes { get; set; } = [];
}

/// <summary>The kinds of durable queue a service's consumers get on RabbitMQ.</summary>
public enum RabbitMqQueueType
{
    /// <summary>Replicated (Raft) over the cluster: the default.</summary>
    Quorum = 1,

    /// <summary>On one node, lost with it: for deployments that have not moved their existing queues yet.</summary>
    Classic,
}

/// <summary>Binds <see cref="MessagingOptions"/> to its section; registered once however many parts of messaging ask for it.</summary>
internal sealed class MessagingOptionsSetup(IConfiguration configuration)
    : ConfigureFromConfigurationOptions<MessagingOptions>(configuration.GetSection(MessagingOptions.SectionName))
{
    public static IServiceCollection AddTo(IServiceCollection services)
    {
        services.AddOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<MessagingOptions>, MessagingOptionsSetup>());
        return services;
    }
}
