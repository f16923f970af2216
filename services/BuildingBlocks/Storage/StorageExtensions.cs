using Egov.Steering.ServiceDefaults.Health;
using Egov.Steering.ServiceDefaults.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Trace;

namespace Egov.Steering.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// SQLite as the services run it (the embedded mode): timestamps written as UTC and read back as UTC
    /// (<see cref="SqliteUtcModelCustomizer"/>), and a writer that finds the file locked waits for it (<see cref="SqliteBusyTimeout"/>).
    /// </summary>
    public static DbContextOptionsBuilder UseServiceSqlite(this DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseSqlite(connectionString);
        options.ReplaceService<IModelCustomizer, SqliteUtcModelCustomizer>();
        return options.AddInterceptors(SqliteBusyTimeout.Instance);
    }

    /// <summary>
    /// Registers a pool of <typeparamref name="TContext"/> on PostgreSQL or SQLite (<c>Storage:Provider</c>) with
    /// <c>ConnectionStrings:Database</c>: snake_case names, UTC timestamps, every <see cref="IInterceptor"/> registered
    /// in DI (e.g. the outbox wake-up), prepared statements on PostgreSQL (<see cref="PostgreSqlConnections"/>), SQLite waiting for a busy database itself
    /// (<see cref="SqliteBusyTimeout"/>), PostgreSQL retries that respect user transactions
    /// (<see cref="TransactionAwareRetryingExecutionStrategy"/>), a "ready" health check that the database answers, and
    /// on PostgreSQL a span per statement from Npgsql.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDbContext<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext
    {
        var provider = builder.GetInfrastructureOptions().Storage;
        var connectionString = builder.Configuration.GetConnectionString("Database")!;
        var postgreSqlConnectionString = provider == StorageProvider.PostgreSQL ? PostgreSqlConnections.WithServiceDefaults(connectionString) : null;

        // Pooled: a unit of work takes a context whose EF services are built already (building them and the options was
        // 3-14% of a service's CPU on the decision path). EF resets a returned context; see README, "Pooled contexts".
        builder.Services.AddDbContextPool<TContext>((services, options) =>
        {
            if (provider == StorageProvider.PostgreSQL)
            {
                options.UseNpgsql(postgreSqlConnectionString, npgsql => npgsql.ExecutionStrategy(
                    dependencies => new TransactionAwareRetryingExecutionStrategy(dependencies)));
            }
            else
            {
                options.UseServiceSqlite(connectionString);
            }

            options.UseSnakeCaseNamingConvention();
            options.AddInterceptors(services.GetServices<IInterceptor>());
        });

        // Database spans come from the driver: Npgsql's own activity per statement costs a fraction of EF Core's
        // diagnostic events and OpenTelemetry's handling of them (3-6% of a service's CPU on the decision path), and
        // with no listener EF Core builds no event data at all. SQLite (the embedded mode) is not traced.
        if (provider == StorageProvider.PostgreSQL)
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddNpgsql());
        }

        // Named after the context: the embedded host registers every service's context in one process.
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>(
            typeof(TContext).Name,
            tags: [HealthTags.Ready],
            // Opens a connection directly: through EF the retrying strategy would hold the probe for many seconds.
            customTestQuery: async (context, cancellationToken) =>
            {
                var connection = context.Database.GetDbConnection();
                await connection.OpenAsync(cancellationToken);
                await connection.CloseAsync();
                return true;
            });
        return builder;
    }
}
