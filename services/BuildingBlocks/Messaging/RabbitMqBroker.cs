using RabbitMQ.Client;

namespace Egov.Steering.Messaging;

/// <summary>
/// The service's RabbitMQ (<c>ConnectionStrings:RabbitMQ</c> and <c>Messaging:ClusterNodes</c>) for what talks to it
/// without MassTransit; registered by <see cref="MessagingExtensions.AddMessaging"/> when the bus runs on RabbitMQ.
/// </summary>
public sealed class RabbitMqBroker(Uri rabbitMq, MessagingOptions options)
{
    // The callers reconnect themselves, each in its own way: the client's own recovery would hide the loss from them.
    private readonly ConnectionFactory factory = new() { Uri = rabbitMq, AutomaticRecoveryEnabled = false };

    /// <summary>Opens a connection on the first node of the cluster that answers (<see cref="RabbitMqCluster.Endpoints"/>).</summary>
    public Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken) =>
        factory.CreateConnectionAsync(RabbitMqCluster.Endpoints(rabbitMq, options), clientName, cancellationToken);
}
