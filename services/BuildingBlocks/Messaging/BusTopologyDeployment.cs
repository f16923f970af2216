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
        var provider = deployment.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        var logger = services.GetRequiredService<ILogger<BusTopologyDeployment>>();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.DeployTimeout);
        try
        {
            // Started means ready: every receive endpoint has declared its queue, exchanges and bindings.
            await bus.StartAsync(timeout.Token);
        }
        // MassTransit keeps retrying an unreachable broker and reports its last failure once the token is cancelled.
        catch (Exception e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"RabbitMQ at {rabbitMq.Host}:{rabbitMq.Port} did not take the service's queues and bindings within " +
                $"{options.DeployTimeout} ({MessagingOptions.SectionName}:{nameof(MessagingOptions.DeployTimeout)}): {e.Message}", e);
        }
        finally
        {
            await StopAsync(bus, provider, logger, cancellationToken);
        }

        LogDeployed(logger, rabbitMq.Host, rabbitMq.Port);
    }

    /// <summary>
    /// Stops and disposes the deployment's bus, waiting at most Messaging:StopTimeout: the stop only closes the
    /// connection, and MassTransit's can wait for ever on an endpoint that is still (re)connecting.
    /// </summary>
    private async Task StopAsync(IBusControl bus, ServiceProvider provider, ILogger logger, CancellationToken cancellationToken)
    {
        var stopped = Task.Run(async () =>
        {
            await bus.StopAsync(CancellationToken.None);
            await provider.DisposeAsync();
        }, CancellationToken.None);
        try
        {
            await stopped.WaitAsync(options.StopTimeout, cancellationToken);
        }
        // The queues were declared (or the start failed) already: how the stop ends changes neither.
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogStopAbandoned(logger, options.StopTimeout, e);
        }
    }

    [LoggerMessage(LogLevel.Warning, "The deployment's bus did not stop cleanly within {StopTimeout} (Messaging:StopTimeout); left to stop on its own")]
    private static partial void LogStopAbandoned(ILogger logger, TimeSpan stopTimeout, Exception exception);

    [LoggerMessage(LogLevel.Information, "Declared the bus's queues, exchanges and bindings on RabbitMQ at {Host}:{Port}")]
    private static partial void LogDeployed(ILogger logger, string host, int port);
}
