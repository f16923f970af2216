using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Events;
using Egov.Steering.Decisions.Grpc;
using Egov.Steering.Membership.V1;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Inbox;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Telemetry;
using Egov.Steering.ServiceDefaults.Tls;
using Egov.Steering.Storage;
using Egov.Steering.Writes;
using MassTransit;

namespace Egov.Steering.Decisions;

public static class Extensions
{
    /// <summary>
    /// The Decisions database with its outbox relay, idempotent writes, the Membership client
    /// (<c>Services:Membership</c>), the bus with the outcome consumer, and the overdue-outcome check.
    /// </summary>
    public static WebApplicationBuilder AddDecisions(this WebApplicationBuilder builder)
    {
        builder.AddDecisionsCore();
        builder.AddMessaging(AddDecisionsConsumers);
        return builder;
    }

    /// <summary>Decisions' consumers, for a host that builds the bus itself (the embedded host shares one bus).</summary>
    public static void AddDecisionsConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<DecisionOutcomeConsumer>().Endpoint(endpoint => endpoint.SubscribeToEvents(
            Egov.Steering.Events.V1.DecisionApplied.Descriptor, Egov.Steering.Events.V1.DecisionRejected.Descriptor));

    /// <summary>Everything of <see cref="AddDecisions"/> but the bus.</summary>
    public static WebApplicationBuilder AddDecisionsCore(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DecisionsOptions>()
            .BindConfiguration(DecisionsOptions.SectionName)
            .Validate(
                options => options.MembershipTimeout > TimeSpan.Zero && options.OutcomeTimeout > TimeSpan.Zero && options.OutcomeCheckInterval > TimeSpan.Zero,
                "Decisions: MembershipTimeout, OutcomeTimeout and OutcomeCheckInterval must be positive")
            .ValidateOnStart();

        builder.Services.AddOutboxRelay<DecisionsDbContext>();
        builder.Services.AddParkedMessageCounter<DecisionsDbContext>();
        builder.AddServiceDbContext<DecisionsDbContext>();
        builder.Services.AddIdempotentWrites<DecisionsDbContext>();

        var membership = builder.Configuration["Services:Membership"]
            ?? throw new InvalidOperationException("Services:Membership (the Membership service's gRPC address) is required");
        builder.Services.AddTransient<ForwardCallerToken>();
        builder.Services.AddGrpcClient<MembershipService.MembershipServiceClient>(client => client.Address = new Uri(membership))
            .AddServiceTlsClient(builder.GetTlsOptions()) // this service's certificate is its identity (mutual TLS)
            .AddHttpMessageHandler<ForwardCallerToken>();
        builder.Services.AddScoped<MembershipChecks>();
        builder.Services.AddScoped<DecisionValidation>();

        builder.Services.AddSingleton<OutcomeWatch>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<OutcomeWatch>());
        builder.AddTelemetrySources(OutcomeWatch.MeterName);
        return builder;
    }

    public static WebApplication MapDecisions(this WebApplication app)
    {
        app.MapDecisionsService();
        app.MapAuditService<DecisionsDbContext>();
        return app;
    }

    /// <summary>DecisionsService alone (the embedded host maps one AuditService for all services' routes).</summary>
    public static WebApplication MapDecisionsService(this WebApplication app)
    {
        app.MapGrpcService<DecisionsGrpcService>();
        return app;
    }

    public static Task<int> RunDecisionsAsync(this WebApplication app, string[] args) => app.RunServiceAsync<DecisionsDbContext>(args);
}
