using Egov.Steering.Events.V1;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Inbox;
using Egov.Steering.Notifications.Dashboard;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Events;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.Grpc;
using Egov.Steering.Notifications.UseCases;
using Egov.Steering.Notifications.Web;
using Egov.Steering.Notifications.Webhooks;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Infrastructure;
using Egov.Steering.ServiceDefaults.Serialized;
using Egov.Steering.ServiceDefaults.Telemetry;
using Egov.Steering.Storage;
using Egov.Steering.Writes;
using MassTransit;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Egov.Steering.Notifications;

public static class Extensions
{
    /// <summary>Batches of events a replica appends at once (on PostgreSQL, where appenders overlap but for the insert and commit).</summary>
    private const int ConcurrentAppends = 8;

    /// <summary>A committee's queued events appended in one transaction at most.</summary>
    private const int EventsPerBatch = 16;

    /// <summary>
    /// Notifications as a host composes it (<see cref="ServiceModule"/>): the log and its database, the stream
    /// fan-out, the public exchange, webhooks, NotificationsService with its event stream as server-sent events and
    /// the dashboard page; and the log's consumer, appending <paramref name="concurrentAppends"/> batches at once, one
    /// at a time and in the queue's order per committee (per aggregate for events of none; a committee's events queued
    /// meanwhile go in its next batch, one transaction): a committee's events, published in order, do not race each
    /// other into the inbox's parking, and a decision's outcome queues behind its effects on the committee. Only the
    /// numbered insert and the commit are serialised (<see cref="EventLog.AppendAsync"/>); SQLite has one writer, so a
    /// few batches at a time there. A batch holds up to <paramref name="eventsPerBatch"/> events.
    /// </summary>
    public static ServiceModule NotificationsModule(int concurrentAppends = ConcurrentAppends, int eventsPerBatch = EventsPerBatch) => new(
        AddNotificationsServices,
        bus => bus.AddBatchingConsumer<EventLogConsumer, EventEnvelope>(concurrentAppends, eventsPerBatch),
        app =>
        {
            app.MapGrpcService<NotificationsGrpcService>();
            app.MapSerializedMethods<WatchEventsMethod>();
            app.MapEventStream();
            app.MapDashboard();
        });

    /// <summary>Notifications with a bus of its own (<see cref="NotificationsModule"/>).</summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder) => NotificationsModule().AddAlone(builder);

    /// <summary>NotificationsService and the AuditService over the Notifications database's audit rows.</summary>
    public static WebApplication MapNotifications(this WebApplication app)
    {
        NotificationsModule().MapEndpoints(app);
        app.MapAuditService<NotificationsDbContext>();
        return app;
    }

    public static Task<int> RunNotificationsAsync(this WebApplication app, string[] args) => app.RunServiceAsync<NotificationsDbContext>(args);

    private static void AddNotificationsServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NotificationsOptions>()
            .BindConfiguration(NotificationsOptions.SectionName)
            .Validate(o => o.Feed.StreamBufferBytes > 0 && o.Feed.HeartbeatInterval > TimeSpan.Zero && o.Feed.PollInterval > TimeSpan.Zero,
                "Notifications:Feed: StreamBufferBytes, HeartbeatInterval and PollInterval must be positive")
            .Validate(o => o.Feed.ReplayPageBytes > 0 && o.Feed.MaxStreamsPerCaller > 0 && o.Feed.MaxStreams > 0 && o.Feed.RefusedStreamRetryDelay >= TimeSpan.Zero,
                "Notifications:Feed: ReplayPageBytes, MaxStreamsPerCaller and MaxStreams must be positive, RefusedStreamRetryDelay not negative")
            .Validate(o => o.Feed.Retention is null || o.Feed.Retention > TimeSpan.Zero, "Notifications:Feed:Retention must be positive")
            .Validate(o => o.Feed.CutOffGracePeriod >= TimeSpan.Zero, "Notifications:Feed:CutOffGracePeriod must not be negative")
            .Validate(o => o.Feed.MetricsInterval > TimeSpan.Zero, "Notifications:Feed:MetricsInterval must be positive")
            .Validate(o => o.Webhooks.MaxAttempts > 0 && o.Webhooks.Concurrency > 0 && o.Webhooks.SuspendAfterFailedDeliveries > 0,
                "Notifications:Webhooks: MaxAttempts, Concurrency and SuspendAfterFailedDeliveries must be positive")
            .Validate(o => o.PublicExchange.Exchange.Length > 0 && o.PublicExchange.BatchSize > 0 && o.PublicExchange.ConfirmTimeout > TimeSpan.Zero,
                "Notifications:PublicExchange: Exchange must be set, BatchSize and ConfirmTimeout positive")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddDashboard();
        services.AddSingleton<LogSignal>();
        services.AddParkedMessageCounter<NotificationsDbContext>();
        services.AddScoped<EventLogHandler>();
        services.AddParkedMessageRelease<EventLogHandler>();
        services.AddSingleton<IInterceptor, LogSignalInterceptor>();
        builder.AddServiceDbContext<NotificationsDbContext>();
        services.AddIdempotentWrites<NotificationsDbContext>();

        var infrastructure = builder.GetInfrastructureOptions();
        if (infrastructure.Storage == StorageProvider.PostgreSQL)
        {
            var connectionString = builder.Configuration.GetConnectionString("Database")!;
            services.AddHostedService(provider => ActivatorUtilities.CreateInstance<LogListener>(provider, connectionString));
        }

        services.AddSingleton<EventFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<EventFeed>());
        services.AddScoped<EventStreamer>();
        services.AddSerializedMethods<WatchEventsMethod>();
        services.AddSingleton<StreamAdmission>();
        services.AddSingleton<NotificationsTelemetry>();
        services.AddSingleton<LogRetention>();
        services.AddHostedService(provider => provider.GetRequiredService<LogRetention>());
        services.AddHostedService<FeedMetricsSampler>();
        builder.AddTelemetrySources(NotificationsTelemetry.Name);

        builder.AddPublicExchange(infrastructure);
        builder.AddWebhooks();
        services.AddNotificationsUseCases();
    }

    private static void AddNotificationsUseCases(this IServiceCollection services)
    {
        services.AddScoped<WebhookSubscriptions>();
        services.AddScoped<WebhookDeliveries>();
    }

    private static void AddPublicExchange(this WebApplicationBuilder builder, InfrastructureOptions infrastructure)
    {
        var enabled = builder.Configuration.GetValue($"{NotificationsOptions.SectionName}:PublicExchange:Enabled", true);
        if (!enabled || infrastructure.Bus != BusTransport.RabbitMQ)
        {
            return; // the embedded host has no broker to publish to
        }

        // Messaging's RabbitMqBroker, registered with the bus on RabbitMQ, is its connection.
        builder.Services.AddHostedService<PublicExchangeRelay>();
    }

    private static void AddWebhooks(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<WebhookUriPolicy>();
        services.AddSingleton<WebhookRequests>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookSubscriptionPresence>();
        services.AddHostedService<WebhookWorker>();
        var development = builder.Environment.IsDevelopment();
        services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, // a redirect could lead to an address the policy refuses
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectCallback = development ? null : WebhookUriPolicy.ConnectToPublicAddressAsync,
            });
    }
}
