using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Events;
using Egov.Steering.Decisions.Grpc;
using Egov.Steering.Decisions.UseCases;
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
    /// Decisions as a host composes it (<see cref="ServiceModule"/>): the database with its outbox relay, idempotent
    /// writes, the Membership client (<c>Services:Membership</c>), the overdue-outcome check, the outcome consumer and
    /// DecisionsService.
    /// </summary>
    public static ServiceModule DecisionsModule() => new(
        AddDecisionsServices,
        bus => bus.AddConsumer<DecisionOutcomeConsumer>().Endpoint(endpoint => endpoint.SubscribeToEvents(
            Egov.Steering.Events.V1.DecisionApplied.Descriptor, Egov.Steering.Events.V1.DecisionRejected.Descriptor)),
        app => app.MapGrpcService<DecisionsGrpcService>());

    /// <summary>Decisions with a bus of its own (<see cref="DecisionsModule"/>).</summary>
    public static WebApplicationBuilder AddDecisions(this WebApplicationBuilder builder) => DecisionsModule().AddAlone(builder);

    /// <summary>DecisionsService and the AuditService over the Decisions database's audit rows.</summary>
    public static WebApplication MapDecisions(this WebApplication app)
    {
        DecisionsModule().MapEndpoints(app);
        app.MapAuditService<DecisionsDbContext>();
        return app;
    }

    public static Task<int> RunDecisionsAsync(this WebApplication app, string[] args) => app.RunServiceAsync<DecisionsDbContext>(args);

    private static void AddDecisionsServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DecisionsOptions>()
            .BindConfiguration(DecisionsOptions.SectionName)
            .Validate(
                options => options.MembershipTimeout > TimeSpan.Zero && options.OutcomeTimeout > TimeSpan.Zero && options.OutcomeCheckInterval > TimeSpan.Zero,
                "Decisions: MembershipTimeout, OutcomeTimeout and OutcomeCheckInterval must be positive")
            .ValidateOnStart();

        services.AddOutboxRelay<DecisionsDbContext>();
        services.AddParkedMessageCounter<DecisionsDbContext>();
        services.AddParkedMessageRelease<DecisionOutcomeConsumer>();
        builder.AddServiceDbContext<DecisionsDbContext>();
        services.AddIdempotentWrites<DecisionsDbContext>();
        services.AddSingleton<IReleaseStep, StoredFoldRefresh>();

        var membership = builder.Configuration["Services:Membership"]
            ?? throw new InvalidOperationException("Services:Membership (the Membership service's gRPC address) is required");
        services.AddTransient<ForwardCallerToken>();
        services.AddGrpcClient<MembershipService.MembershipServiceClient>(client => client.Address = new Uri(membership))
            .AddServiceTlsClient(builder.GetTlsOptions()) // this service's certificate is its identity (mutual TLS)
            .AddHttpMessageHandler<ForwardCallerToken>();
        services.AddDecisionsUseCases();

        services.AddSingleton<OutcomeWatch>();
        services.AddHostedService(provider => provider.GetRequiredService<OutcomeWatch>());
        builder.AddTelemetrySources(OutcomeWatch.MeterName);
    }
}
