using Egov.Steering.TestSupport;

namespace Egov.Steering.Integration.Tests.Support;

/// <summary>
/// A RabbitMQ of this suite's own. Every service subscribes to the one EventEnvelope exchange, so on the shared broker
/// the Membership replicas of other test runs would also receive these tests' DecisionIssued, reject them (their
/// registers lack the committee) and publish DecisionRejected that these tests' Decisions would record.
/// </summary>
public class PrivateBroker(string name, int port) : IAsyncLifetime
{
    public Uri Uri { get; } = new($"amqp://guest:guest@127.0.0.1:{port}/");

    public Task InitializeAsync() => StartAsync();

    public Task StartAsync() => TestInfrastructure.StartOwnAsync(InfrastructureKind.RabbitMq, name, port);

    public Task StopAsync() => TestInfrastructure.StopOwnAsync(InfrastructureKind.RabbitMq, name);

    public Task DisposeAsync() => StopAsync();
}

/// <summary>The suite's broker, shared (one test at a time) by the tests of <see cref="SystemCollection"/>.</summary>
public sealed class SuiteBroker() : PrivateBroker("integration", TestInfrastructure.FreeRabbitMqPort());

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SuiteBroker>
{
    public const string Name = "steering system";
}
