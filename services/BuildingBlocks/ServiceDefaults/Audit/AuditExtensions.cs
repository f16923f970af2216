using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.ServiceDefaults.Audit;

public static class AuditExtensions
{
    /// <summary>Serves <c>egov.steering.audit.v1.AuditService</c> over the <c>audit_records</c> of <typeparamref name="TContext"/>.</summary>
    public static GrpcServiceEndpointConventionBuilder MapAuditService<TContext>(this IEndpointRouteBuilder endpoints)
        where TContext : DbContext =>
        endpoints.MapGrpcService<AuditGrpcService<TContext>>();
}
