using System.Globalization;
using MassTransit;
using RabbitMQ.Client;

namespace Egov.Steering.Messaging;

/// <summary>
/// What running on a RabbitMQ cluster takes (see README, "On a RabbitMQ cluster"): connections that move to another
/// node when theirs goes down, and consumer queues replicated as quorum queues.
/// </summary>
public static class RabbitMqCluster
{
    /// <summary>
    /// Every node to connect to, the connection string's own host first, then <see cref="MessagingOptions.ClusterNodes"/>
    /// (port 5672, or the connection string's, when a node names none).
    /// </summary>
    public static IReadOnlyList<AmqpTcpEndpoint> Endpoints(Uri rabbitMq, MessagingOptions options)
    {
        var defaultPort = rabbitMq.IsDefaultPort ? AmqpTcpEndpoint.UseDefaultPort : rabbitMq.Port;
        return
        [
            new AmqpTcpEndpoint(rabbitMq.Host, defaultPort),
            .. options.ClusterNodes.Where(node => !string.IsNullOrWhiteSpace(node)).Select(node => ParseNode(node.Trim(), defaultPort)),
        ];
    }

    /// <summary>MassTransit's host on <paramref name="rabbitMq"/>, cycling through the cluster's nodes, publisher confirms on.</summary>
    internal static void ConfigureClusterHost(this IRabbitMqBusFactoryConfigurator cfg, Uri rabbitMq, MessagingOptions options)
    {
        cfg.Host(rabbitMq, host =>
        {
            host.PublisherConfirmation = true;
            if (options.ClusterNodes.Length > 0)
            {
                host.UseCluster(cluster =>
                {
                    foreach (var node in Endpoints(rabbitMq, options))
                    {
                        cluster.Node(node.Port > 0 ? $"{node.HostName}:{node.Port}" : node.HostName);
                    }
                });
            }
        });
    }

    /// <summary>Declares a consumer's queue as a quorum queue when <see cref="MessagingOptions.QueueType"/> says so.</summary>
    internal static void ApplyQueueType(this IReceiveEndpointConfigurator endpoint, MessagingOptions options)
    {
        if (options.QueueType == RabbitMqQueueType.Quorum && endpoint is IRabbitMqReceiveEndpointConfigurator rabbitMq)
        {
            rabbitMq.SetQuorumQueue(options.QuorumReplicationFactor);
        }
    }

    private static AmqpTcpEndpoint ParseNode(string node, int defaultPort)
    {
        var parts = node.Split(':');
        return parts switch
        {
            [var host] => new AmqpTcpEndpoint(host, defaultPort),
            [var host, var port] when host.Length > 0
                && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535
                => new AmqpTcpEndpoint(host, number),
            _ => throw new InvalidOperationException(
                $"{MessagingOptions.SectionName}:{nameof(MessagingOptions.ClusterNodes)} has '{node}': write host or host:port (1-65535)"),
        };
    }
}
