using Egov.Steering.TestSupport;

namespace Egov.Steering.Integration.Tests.Support;

/// <summary>A test of the three services on a RabbitMQ of its own, which it may stop, restart or tamper with.</summary>
/// <param name="brokerName">The broker's instance name for eng/infra.sh (and <c>rabbitmqctl</c>).</param>
/// <param name="configure">Adds settings to a service's before it starts (<see cref="SteeringSystem.StartAsync"/>).</param>
public abstract class OwnBrokerTest(string brokerName, Action<string, IDictionary<string, string?>>? configure = null) : IAsyncLifetime
{
    protected PrivateBroker Broker { get; } = new(brokerName, TestInfrastructure.FreeRabbitMqPort());

    protected SteeringSystem Steering { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Broker.StartAsync();
        Steering = await SteeringSystem.StartAsync(Broker.Uri, configure: configure);
    }

    public async Task DisposeAsync()
    {
        await Steering.DisposeAsync();
        await Broker.StopAsync();
    }
}
