using Egov.Steering.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Messaging.Inbox;

/// <summary>
/// Counts the parked messages of <typeparamref name="TContext"/> every <see cref="MessagingOptions.ParkedCountInterval"/>
/// for the gauges <c>steering.inbox.parked</c> and <c>steering.inbox.oldest_parked_age</c>: a message that waits long
/// means the version it follows is missing (in an error queue, or never published), which nothing else reports.
/// </summary>
public sealed partial class ParkedMessageCounter<TContext>(
    IServiceScopeFactory scopes, MessagingMetrics metrics, TimeProvider time, IOptions<MessagingOptions> options, ILogger<ParkedMessageCounter<TContext>> logger)
    : PeriodicBackgroundService(time)
    where TContext : DbContext
{
    protected override TimeSpan Interval => options.Value.ParkedCountInterval;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => CountAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception) => LogCountFailed(typeof(TContext).Name, exception);

    private async Task CountAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var parked = scope.ServiceProvider.GetRequiredService<TContext>().Set<InboxParkedMessage>();
        var count = await parked.LongCountAsync(cancellationToken);
        var oldest = await parked.MinAsync(m => (DateTime?)m.ParkedAt, cancellationToken);
        metrics.SetParked(typeof(TContext).Name, count, oldest, Time.GetUtcNow().UtcDateTime);
    }

    [LoggerMessage(LogLevel.Warning, "Counting the parked messages of {Context} failed; the gauges keep their last values")]
    private partial void LogCountFailed(string context, Exception exception);
}

public static class ParkedMessageCounterExtensions
{
    /// <summary>Counts the parked messages of <typeparamref name="TContext"/> (a database whose consumers use the inbox).</summary>
    public static IServiceCollection AddParkedMessageCounter<TContext>(this IServiceCollection services)
        where TContext : DbContext
    {
        MessagingOptionsSetup.AddTo(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MessagingMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ParkedMessageCounter<TContext>>());
        return services;
    }
}
