using Egov.Steering.Messaging.Serialization;
using Egov.Steering.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.Messaging;

/// <summary>
/// The release step (run by the <c>migrate</c> verb) that declares on RabbitMQ what the service's bus declares when it
/// starts — each consumer's queue, the exchanges of the message types it consumes and their bindings — without
/// consuming anything. RabbitMQ drops a message published to an exchange with no queue bound, so the queues must exist
/// before any service of the release publishes, not only once their own service first runs.
/// </summary>
internal sealed partial class BusTopologyDeployment(
    IServiceProvider services, MessagingOptions options, Uri rabbitMq, Action<IBusRegistrationConfigurator>? configure)
    : IReleaseStep
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // A bus of its own, configured exactly as the service's, in DeployTopologyOnly mode: the service's bus stays
        // untouched, able to consume when the same process goes on to run.
        var deployment = new ServiceCollection();
        deployment.AddSingleton(services.GetRequiredService<ILoggerFactory>());
        deployment.AddLogging();
        deployment.AddSingleton(services.GetRequiredService<ProtobufMessageTypes>());
        deployment.AddMassTransit(bus => bus.AddSteeringBus(options, rabbitMq, configure, deployTopologyOnly: true));
        await using var provider = deployment.BuildServiceProvider();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.DeployTimeout);
        try
        {
            await provider.GetRequiredService<IBusControl>().DeployAsync(timeout.Token);
        }
        // MassTransit keeps retrying an unreachable broker and reports its last failure once the token is cancelled.
        catch (Exception e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"RabbitMQ at {rabbitMq.Host}:{rabbitMq.Port} did not take the service's queues and bindings within " +
                $"{options.DeployTimeout} ({MessagingOptions.SectionName}:{nameof(MessagingOptions.DeployTimeout)}): {e.Message}", e);
        }

        LogDeployed(services.GetRequiredService<ILogger<BusTopologyDeployment>>(), rabbitMq.Host, rabbitMq.Port);
    }

    [LoggerMessage(LogLevel.Information, "Declared the bus's queues, exchanges and bindings on RabbitMQ at {Host}:{Port}")]
    private static partial void LogDeployed(ILogger logger, string host, int port);
}
