using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Messaging.Inbox;

/// <summary>An inbox consumer's sweep over the parked messages that are ready but still parked.</summary>
public interface IParkedMessageReleaser
{
    Task ReleaseReadyAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Every <see cref="MessagingOptions.ParkedReleaseInterval"/>, lets a fresh <typeparamref name="TConsumer"/> handle the
/// parked messages whose predecessors are handled: without it, a message parked behind a version whose process died
/// right after committing, or whose handling failed once, would wait for a next message of its aggregate — which parks
/// behind it.
/// </summary>
public sealed partial class ParkedMessageRelease<TConsumer>(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<MessagingOptions> options, ILogger<ParkedMessageRelease<TConsumer>> logger)
    : BackgroundService
    where TConsumer : class, IParkedMessageReleaser
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ParkedReleaseInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken)) // throws on stop, which ends the service quietly
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await ActivatorUtilities.GetServiceOrCreateInstance<TConsumer>(scope.ServiceProvider).ReleaseReadyAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(typeof(TConsumer).Name, e);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Releasing the ready parked messages of {Consumer} failed; trying again at the next sweep")]
    private partial void LogSweepFailed(string consumer, Exception exception);
}

public static class ParkedMessageReleaseExtensions
{
    /// <summary>Sweeps the ready parked messages of <typeparamref name="TConsumer"/> (an <c>InboxConsumer</c>).</summary>
    public static IServiceCollection AddParkedMessageRelease<TConsumer>(this IServiceCollection services)
        where TConsumer : class, IParkedMessageReleaser
    {
        MessagingOptionsSetup.AddTo(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ParkedMessageRelease<TConsumer>>());
        return services;
    }
}
