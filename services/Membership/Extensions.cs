using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Events;
using Egov.Steering.Membership.Grpc;
using Egov.Steering.Messaging;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Serialized;
using Egov.Steering.Storage;
using Egov.Steering.Writes;

namespace Egov.Steering.Membership;

public static class Extensions
{
    /// <summary>The Membership database (PostgreSQL or SQLite by Storage:Provider) and the register store.</summary>
    public static WebApplicationBuilder AddMembershipStorage(this WebApplicationBuilder builder)
    {
        builder.AddServiceDbContext<MembershipDbContext>();
        builder.Services.AddScoped<RegisterStore>();
        return builder;
    }

    /// <summary>
    /// What MembershipService needs beyond storage and the events/views (AddMembershipEvents): idempotent, audited
    /// writes, and the bus with Membership's consumers (the outbox relay publishes on it).
    /// </summary>
    public static WebApplicationBuilder AddMembershipApi(this WebApplicationBuilder builder)
    {
        builder.AddMembershipWrites();
        builder.AddMessaging(MembershipEventsExtensions.AddMembershipConsumers);
        return builder;
    }

    /// <summary>
    /// Idempotent, audited writes and the views served as cached bytes; the bus is left to the host (the embedded host
    /// shares one bus across services).
    /// </summary>
    public static WebApplicationBuilder AddMembershipWrites(this WebApplicationBuilder builder)
    {
        builder.Services.AddIdempotentWrites<MembershipDbContext>();
        builder.Services.AddSerializedMethods<CachedViewMethods>();
        return builder;
    }

    /// <summary>MembershipService and the AuditService over the Membership database's audit rows.</summary>
    public static WebApplication MapMembershipApi(this WebApplication app)
    {
        app.MapMembershipService();
        app.MapAuditService<MembershipDbContext>();
        return app;
    }

    /// <summary>MembershipService alone, its views as cached bytes (the embedded host maps one AuditService for all services' routes).</summary>
    public static WebApplication MapMembershipService(this WebApplication app)
    {
        app.MapGrpcService<MembershipGrpcService>();
        app.MapSerializedMethods<CachedViewMethods>();
        return app;
    }

    /// <summary>
    /// Runs the service. The <c>migrate</c> verb (the release step) migrates (with the other release steps: the bus's
    /// queues) and then seeds the reference organisations
    /// and compliance rules, so seeding never races between replicas at start-up.
    /// </summary>
    public static async Task<int> RunMembershipAsync(this WebApplication app, string[] args)
    {
        if (args is [ServiceRunner.MigrateVerb, ..])
        {
            await app.MigrateAsync<MembershipDbContext>();
            await app.SeedMembershipAsync();
            return 0;
        }

        return await app.RunServiceAsync<MembershipDbContext>(args);
    }

    private static async Task SeedMembershipAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await MembershipSeeder.SeedAsync(scope.ServiceProvider.GetRequiredService<MembershipDbContext>());
    }
}
