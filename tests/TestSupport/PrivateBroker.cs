namespace Egov.Steering.TestSupport;

/// <summary>A RabbitMQ of a test's own (eng/infra.sh), which it may stop, restart or tamper with.</summary>
/// <param name="name">The broker's instance name for eng/infra.sh (and <c>rabbitmqctl</c>).</param>
public class PrivateBroker(string name, int port)
{
    public Uri Uri { get; } = new($"amqp://guest:guest@127.0.0.1:{port}/");

    public Task StartAsync() => TestInfrastructure.StartOwnAsync(InfrastructureKind.RabbitMq, name, port);

    public Task StopAsync() => TestInfrastructure.StopOwnAsync(InfrastructureKind.RabbitMq, name);

    /// <summary>Each queue's ready and unacknowledged messages and its consumers, for a wait that timed out.</summary>
    public Task<string> QueuesAsync() => CtlAsync("list_queues", "name", "type", "messages_ready", "messages_unacknowledged", "consumers");

    /// <summary>Runs <c>rabbitmqctl</c> on this broker; returns what it printed.</summary>
    public Task<string> CtlAsync(params string[] arguments) => TestInfrastructure.RabbitMqCtlAsync(name, arguments);
}
