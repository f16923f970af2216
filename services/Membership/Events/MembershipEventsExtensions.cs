using Egov.Steering.Caching;
using Egov.Steering.Events.V1;
using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Views;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Inbox;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Egov.Steering.Membership.Events;

public static class MembershipEventsExtensions
{
    /// <summary>
    /// Membership's consumers, for the foundation's bus: <c>builder.AddMessaging(MembershipEventsExtensions.AddMembershipConsumers)</c>.
    /// Decisions on different committees apply in parallel; one committee's apply one at a time, in the order they were
    /// issued (the queue's order, kept per committee by the partitioner and enforced by the inbox's committee sequences).
    /// </summary>
    public static void AddMembershipConsumers(IBusRegistrationConfigurator bus) => AddMembershipConsumers(bus, CommitteePartitions);

    /// <summary>
    /// As <see cref="AddMembershipConsumers(IBusRegistrationConfigurator)"/>, applying at most
    /// <paramref name="committeePartitions"/> decisions at once: 1 on SQLite (the embedded host), which has one writer.
    /// </summary>
    public static void AddMembershipConsumers(IBusRegistrationConfigurator bus, int committeePartitions) =>
        bus.AddPartitionedConsumer<DecisionEventsConsumer, EventEnvelope>(
            committeePartitions,
            DecisionEventsConsumer.PartitionKey,
            endpoint => endpoint.SubscribeToEvents(DecisionIssued.Descriptor));

    /// <summary>Decisions applied at once by one replica, each on a committee of its own.</summary>
    private const int CommitteePartitions = 8;

    /// <summary>
    /// Everything around the events and views: the decision handler, compliance re-evaluation (after decisions, rule
    /// changes and each midnight), the outbox relay of <see cref="MembershipDbContext"/>, the views with their cache
    /// (Redis when <c>Cache:Provider=Redis</c>, registered by ServiceDefaults' AddServiceCache; else in-process) and
    /// the interceptor that invalidates exactly the views a commit touched. Call before AddServiceDbContext resolves
    /// interceptors (any order in Program.cs: they are read when the first context is created). The bus itself is
    /// <c>AddMessaging(AddMembershipConsumers)</c>.
    /// </summary>
    public static IHostApplicationBuilder AddMembershipEvents(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new MembershipClock(provider.GetRequiredService<TimeProvider>()));
        services.AddScoped<DecisionIssuedHandler>();
        services.AddScoped<ComplianceRecalculator>();
        services.AddHostedService<ComplianceRollover>();
        services.AddOutboxRelay<MembershipDbContext>();
        services.AddParkedMessageCounter<MembershipDbContext>();

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
