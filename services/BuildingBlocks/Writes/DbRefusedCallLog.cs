using Egov.Steering.ServiceDefaults.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Writes;

/// <summary>Records refusals in the <c>audit_records</c> of <typeparamref name="TContext"/>.</summary>
internal sealed class DbRefusedCallLog<TContext>(
    IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, ILogger<DbRefusedCallLog<TContext>> logger)
    : RefusedCallLog(options, time, logger)
    where TContext : DbContext
{
    protected override async Task SaveAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        db.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
    }
}
