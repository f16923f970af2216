using Egov.Steering.TestSupport;

namespace Egov.Steering.Integration.Tests.Support;

/// <summary>
/// The suite's broker, shared (one test at a time) by the tests of <see cref="SystemCollection"/>. Every service
/// subscribes to the one EventEnvelope exchange, so on the shared broker the Membership replicas of other test runs
/// would also receive these tests' DecisionIssued, reject them (their registers lack the committee) and publish
/// DecisionRejected that these tests' Decisions would record.
/// </summary>
public sealed class SuiteBroker() : PrivateBroker("integration", TestInfrastructure.FreeRabbitMqPort()), IAsyncLifetime
{
    public Task InitializeAsync() => StartAsync();

    public Task DisposeAsync() => StopAsync();
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SuiteBroker>
{
    public const string Name = "steering system";
}
