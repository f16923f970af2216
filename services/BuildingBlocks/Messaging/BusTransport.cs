namespace Egov.Steering.Messaging;

/// <summary>
/// <c>Bus:Transport</c>: RabbitMQ in every deployed mode, in-memory only for the embedded single-process host.
/// </summary>
public enum BusTransport
{
    RabbitMQ,
    InMemory,
}
