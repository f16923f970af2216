using Egov.Steering.Caching;
using Egov.Steering.Events.V1;
using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Events;
using Egov.Steering.Membership.Grpc;
using Egov.Steering.Membership.UseCases;
using Egov.Steering.Membership.Views;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Inbox;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Serialized;
using Egov.Steering.Storage;
using Egov.Steering.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Egov.Steering.Writes;

namespace Egov.Steering.Membership;

public static class Extensions
{
    /// <summary>Batches of decisions applied at once by one replica, each on a committee of its own.</summary>
    private const int CommitteePartitions = 8;

    /// <summary>A committee's queued decisions applied in one transaction at most.</summary>
    private const int DecisionsPerBatch = 16;

    /// <summary>
    /// Membership as a host composes it (<see cref="ServiceModule"/>): the database (PostgreSQL or SQLite by
    /// Storage:Provider) with the register store, the events and views, idempotent audited writes, MembershipService
    /// with its views as cached bytes. At most <paramref name="committeePartitions"/> batches of decisions apply at
    /// once, each on a committee of its own: one committee's in the order they were issued (the queue's order, kept
    /// per committee by the batches and enforced by the inbox's committee sequences), up to
    /// <paramref name="decisionsPerBatch"/> of a committee's in one transaction; SQLite has one writer.
    /// </summary>
    public static ServiceModule MembershipModule(int committeePartitions = CommitteePartitions, int decisionsPerBatch = DecisionsPerBatch) => new(
        AddMembershipServices,
        bus => bus.AddBatchingConsumer<DecisionEventsConsumer, EventEnvelope>(
            committeePartitions,
            decisionsPerBatch,
            DecisionEventsConsumer.InIssueOrder,
            endpoint => endpoint.SubscribeToEvents(DecisionIssued.Descriptor)),
        app =>
        {
            app.MapGrpcService<MembershipGrpcService>();
            app.MapSerializedMethods<CachedViewMethods>();
        });

    /// <summary>Membership with a bus of its own (<see cref="MembershipModule"/>).</summary>
    public static WebApplicationBuilder AddMembership(this WebApplicationBuilder builder) => MembershipModule().AddAlone(builder);

    /// <summary>MembershipService and the AuditService over the Membership database's audit rows.</summary>
    public static WebApplication MapMembership(this WebApplication app)
    {
        MembershipModule().MapEndpoints(app);
        app.MapAuditService<MembershipDbContext>();
        return app;
    }

    /// <summary>
    /// Runs the service. The <c>migrate</c> verb migrates and runs the release steps: the bus's queues and the seeding
    /// of the reference organisations and compliance rules (<see cref="MembershipSeeding"/>).
    /// </summary>
    public static Task<int> RunMembershipAsync(this WebApplication app, string[] args) => app.RunServiceAsync<MembershipDbContext>(args);

    private static void AddMembershipServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddServiceDbContext<MembershipDbContext>();
        services.AddSingleton<IReleaseStep, MembershipSeeding>();
        services.AddScoped<RegisterStore>();
        builder.AddMembershipEvents();
        services.AddIdempotentWrites<MembershipDbContext>();
        services.AddMembershipUseCases();
        services.AddSerializedMethods<CachedViewMethods>();
    }

    /// <summary>
    /// Everything around the events and views (also for hosts of the events alone: tests, benchmarks): the decision
    /// handler, compliance re-evaluation (after decisions, rule changes and each midnight), the outbox relay of
    /// <see cref="MembershipDbContext"/>, the views with their cache (Redis when <c>Cache:Provider=Redis</c>,
    /// registered by ServiceDefaults' AddServiceCache; else in-process) and the interceptor that invalidates exactly
    /// the views a commit touched. Call before AddServiceDbContext resolves interceptors (any order: they are read
    /// when the first context is created).
    /// </summary>
    public static IHostApplicationBuilder AddMembershipEvents(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new MembershipClock(provider.GetRequiredService<TimeProvider>()));
        services.AddScoped<DecisionIssuedHandler>();
        services.AddScoped<ComplianceRecalculator>();
        services.AddScoped<DecisionApplicationUseCase>();
        services.AddHostedService<ComplianceRollover>();
        services.AddOutboxRelay<MembershipDbContext>();
        services.AddParkedMessageCounter<MembershipDbContext>();
        services.AddParkedMessageRelease<DecisionIssuedHandler>();

        services.AddOptions<ViewCacheOptions>().BindConfiguration(ViewCacheOptions.SectionName);
        // Views are kept in Redis too with Cache:Provider=Redis (the RedisConnection AddServiceCache registers).
        builder.AddServiceCache();
        services.AddSingleton<ViewCache>();
        services.AddSingleton<MembershipMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInterceptor, ViewInvalidationInterceptor>());
        services.AddScoped<CommitteeViews>();
        builder.AddTelemetrySources(MembershipMetrics.MeterName);
        return builder;
    }
}
