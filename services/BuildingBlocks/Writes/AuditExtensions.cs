using Egov.Steering.ServiceDefaults.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Egov.Steering.Writes;

public static class AuditExtensions
{
    /// <summary>Serves <c>egov.steering.audit.v1.AuditService</c> over the <c>audit_records</c> of <typeparamref name="TContext"/>.</summary>
    public static GrpcServiceEndpointConventionBuilder MapAuditService<TContext>(this IEndpointRouteBuilder endpoints)
        where TContext : DbContext =>
        endpoints.MapGrpcService<AuditGrpcService<TContext>>();

    /// <summary>
    /// Records refused write and admin calls in the <c>audit_records</c> of <typeparamref name="TContext"/> (section
    /// <c>Audit</c>). A host of several services records them in the first one registered.
    /// </summary>
    public static IServiceCollection AddRefusedCallAudit<TContext>(this IServiceCollection services)
        where TContext : DbContext
    {
        services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.SectionName)
            .Validate(options => options.RefusalBurst > 0 && options.RefusalInterval > TimeSpan.Zero,
                "Audit:RefusalBurst and Audit:RefusalInterval must be positive")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RefusedCallLog, DbRefusedCallLog<TContext>>();
        return services;
    }
}
