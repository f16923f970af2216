namespace Egov.Steering.Storage;

/// <summary>
/// Work the <c>migrate</c> verb (the release step: the Helm pre-install/pre-upgrade hook) does after the database
/// migrations, before any replica of the new release runs: e.g. declaring the service's broker queues so that events
/// published before the service ever started are kept for it. Registered in DI; run in registration order.
/// </summary>
public interface IReleaseStep
{
    Task RunAsync(CancellationToken cancellationToken);
}
