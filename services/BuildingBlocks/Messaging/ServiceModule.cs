using MassTransit;
using Microsoft.AspNetCore.Builder;

namespace Egov.Steering.Messaging;

/// <summary>
/// A service as a host composes it: its registrations but the bus, its consumers, its endpoints. A service's own
/// Program.cs takes it whole (<see cref="AddAlone"/>: with a bus of its own); the sandbox (services/AllInOne) puts
/// several in one process, the consumers of all on the one bus it builds, since MassTransit's in-memory transport
/// does not cross bus instances. The AuditService is left to the host: one gRPC route per service name in a process.
/// </summary>
public sealed record ServiceModule(
    Action<WebApplicationBuilder> AddServices,
    Action<IBusRegistrationConfigurator> AddConsumers,
    Action<WebApplication> MapEndpoints)
{
    /// <summary>The module alone in its host: its services and a bus of its own with its consumers.</summary>
    public WebApplicationBuilder AddAlone(WebApplicationBuilder builder)
    {
        AddServices(builder);
        builder.AddMessaging(AddConsumers);
        return builder;
    }
}
