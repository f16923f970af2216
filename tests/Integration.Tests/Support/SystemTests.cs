namespace Egov.Steering.Integration.Tests.Support;

/// <summary>
/// A test class whose every test runs against its own system (the three hosts on fresh databases over the suite's
/// broker) with Gia Lai's system as the caller.
/// </summary>
[Collection(SystemCollection.Name)]
public abstract class SystemTests(SuiteBroker broker) : IAsyncLifetime
{
    protected SuiteBroker Broker => broker;

    protected SteeringSystem Services { get; private set; } = null!;

    protected GiaLai Gialai { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Services = await SteeringSystem.StartAsync(broker.Uri);
        Gialai = new GiaLai(Services);
    }

    public async Task DisposeAsync() => await Services.DisposeAsync();

    /// <summary>Gia Lai's clients again, after the services restarted on new ports.</summary>
    protected void Reconnect() => Gialai = new GiaLai(Services);
}
