using Egov.Steering.ServiceDefaults.Hosting;
using Egov.Steering.ServiceDefaults.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.Storage;

public static partial class ServiceRunner
{
    /// <summary>
    /// The command-line verb that migrates the database, runs the other <see cref="IReleaseStep"/>s and exits (the Helm
    /// pre-install/pre-upgrade hook runs it).
    /// </summary>
    public const string MigrateVerb = "migrate";

    /// <summary>
    /// Non-Production only: bring the schema up to date before serving, for the one-command embedded mode.
    /// Production refuses it: migrations are a deliberate step, run once per release, not by every replica at once.
    /// </summary>
    public const string MigrateOnStartKey = "Storage:MigrateOnStart";

    /// <summary>
    /// <c>service migrate</c> runs <see cref="MigrateAsync{TContext}"/> and returns 0 without starting the host (no hosted
    /// services, no ports); anything else runs the service, which never migrates unless <see cref="MigrateOnStartKey"/> allows it.
    /// Returns the process exit code: 0 after an orderly stop, <see cref="ProcessExit.BackgroundServiceFailed"/> when a
    /// background service failed and stopped the host.
    /// </summary>
    public static async Task<int> RunServiceAsync<TContext>(this WebApplication app, string[] args)
        where TContext : DbContext
    {
        if (args is [MigrateVerb, ..])
        {
            await app.MigrateAsync<TContext>();
            return 0;
        }

        if (app.Configuration.GetValue<bool>(MigrateOnStartKey))
        {
            if (app.Environment.IsProduction())
            {
                throw new InvalidOperationException(
                    $"{MigrateOnStartKey} is refused in Production: run the '{MigrateVerb}' command (the Helm hook) instead.");
            }

            await app.MigrateDatabaseAsync<TContext>();
        }

        return await app.RunToExitCodeAsync();
    }

    /// <summary>What the <c>migrate</c> verb does: the database's migrations, then every registered <see cref="IReleaseStep"/>.</summary>
    public static async Task MigrateAsync<TContext>(this WebApplication app)
        where TContext : DbContext
    {
        await app.MigrateDatabaseAsync<TContext>();
        foreach (var step in app.Services.GetServices<IReleaseStep>())
        {
            await step.RunAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// PostgreSQL applies the service's migrations. SQLite (the embedded, single-process mode) is created from the
    /// current model instead: the migrations are written for PostgreSQL, and an embedded database is recreated, not upgraded;
    /// an existing SQLite file created from another model throws <see cref="StaleDatabaseException"/>.
    /// </summary>
    public static async Task MigrateDatabaseAsync<TContext>(this WebApplication app)
        where TContext : DbContext
    {
        await using var scope = app.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<TContext>().Database;
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServiceRunner));
        if (scope.ServiceProvider.GetRequiredService<InfrastructureOptions>().Storage == StorageProvider.PostgreSQL)
        {
            var pending = (await database.GetPendingMigrationsAsync()).ToList();
            await database.MigrateAsync();
            LogMigrated(logger, typeof(TContext).Name, pending.Count);
        }
        else
        {
            await database.EnsureCreatedFromCurrentModelAsync(typeof(TContext).Name);
            LogCreated(logger, typeof(TContext).Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Context}: applied {Count} pending migration(s)")]
    private static partial void LogMigrated(ILogger logger, string context, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Context}: SQLite schema created from the model, or found created from it")]
    private static partial void LogCreated(ILogger logger, string context);
}
