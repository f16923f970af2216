using Egov.Steering.Access;
using Egov.Steering.Decisions;
using Egov.Steering.Decisions.Data;
using Egov.Steering.Membership.Data;
using Egov.Steering.Messaging;
using Egov.Steering.Notifications.Data;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Hosting;
using Egov.Steering.Storage;
using Egov.Steering.Writes;
using Microsoft.EntityFrameworkCore;
using static Egov.Steering.Decisions.Extensions;
using static Egov.Steering.Membership.Extensions;
using static Egov.Steering.Notifications.Extensions;

namespace Egov.Steering.AllInOne;

/// <summary>
/// Composes Membership, Decisions and Notifications into one host through their <see cref="ServiceModule"/>s: the same
/// service code as the distributed mode, with only the configuration switches changed (SQLite, in-memory bus,
/// in-memory cache) and ONE bus carrying every service's consumers, because MassTransit's in-memory transport does not
/// cross bus instances.
/// </summary>
public static partial class Sandbox
{
    public const string DataPathKey = "Sandbox:DataPath";

    /// <summary>Where the sandbox writes its gRPC address for steeringctl while it runs (<see cref="SandboxAddressFile"/>).</summary>
    public const string AddressFileKey = "Sandbox:AddressFile";
    public const string ResetFlag = "--reset";
    public const int DefaultGrpcPort = 5100;
    public const int DefaultHttpPort = 5110;

    /// <summary>The exit code when the data folder was created by another version of the code (start with --reset).</summary>
    public const int StaleDataFolderExitCode = 2;

    public static WebApplication Build(string[] args)
    {
        // The sandbox mints tokens with the development key, which only a Development host accepts.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args.Where(arg => arg != ResetFlag).ToArray(),
            EnvironmentName = Environments.Development,
        });
        builder.AddSandboxConfiguration(reset: args.Contains(ResetFlag));

        builder.AddServiceDefaults();
        // SQLite has one writer: decisions of different committees, many appends to the log, or a batch's longer
        // transaction would only keep the host's other writers waiting (batches measured slower here with 8 clients).
        ServiceModule[] services = [MembershipModule(committeePartitions: 1, decisionsPerBatch: 1), DecisionsModule(), NotificationsModule(concurrentAppends: 4, eventsPerBatch: 1)];
        foreach (var service in services)
        {
            // With Bus:Transport=InMemory Notifications registers no public exchange relay (there is no broker).
            service.AddServices(builder);
        }

        builder.AddMessaging(bus =>
        {
            foreach (var service in services)
            {
                service.AddConsumers(bus);
            }
        });
        builder.UseOwnSqliteFile<MembershipDbContext>("membership.db");
        builder.UseOwnSqliteFile<DecisionsDbContext>("decisions.db");
        builder.UseOwnSqliteFile<NotificationsDbContext>("notifications.db");
        builder.Services.AddSingleton<SampleDataLoader>();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        foreach (var service in services)
        {
            service.MapEndpoints(app);
        }

        // One gRPC route per service name in a host: the sandbox's AuditService answers for the register
        // (Membership's audit rows); Decisions' and Notifications' audit rows are still written to their own files.
        app.MapAuditService<MembershipDbContext>();
        return app;
    }

    /// <summary>
    /// Says it is starting, creates the schemas, seeds the reference organisations and rules, starts serving, loads the
    /// sample data through real decisions (skipping what an earlier run loaded), prints how to use it, and runs until Ctrl+C
    /// (or <paramref name="cancellationToken"/>). A data folder of another version is refused: a message on
    /// <paramref name="error"/> (standard error by default) and <see cref="StaleDataFolderExitCode"/>.
    /// </summary>
    public static async Task<int> RunSandboxAsync(this WebApplication app, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        // Nothing else shows until the banner, and a first start creates the databases and loads every sample decision.
        await (error ?? Console.Error).WriteLineAsync(
            $"sandbox: starting on {app.Configuration.GrpcAddress()}: databases in {app.Configuration[DataPathKey]}, then the sample data (a minute the first time) ...");
        try
        {
            await app.StartSandboxAsync(cancellationToken);
        }
        catch (StaleDatabaseException stale)
        {
            await (error ?? Console.Error).WriteLineAsync($"""
                sandbox: this data folder was created by an older version; start with --reset to recreate it (the sample data are loaded again).
                  data folder: {app.Configuration[DataPathKey]}
                  {Path.GetFileName(stale.File)}: its tables differ from this version's
                """);
            return StaleDataFolderExitCode;
        }

        SandboxBanner.Print(app);
        await app.WaitForShutdownAsync(cancellationToken);
        return app.ExitCodeAfterStop();
    }

    /// <summary>Everything of <see cref="RunSandboxAsync"/> up to serving the sample data (what the tests start).</summary>
    public static async Task StartSandboxAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await app.MigrateDatabaseAsync<MembershipDbContext>();
        await app.MigrateDatabaseAsync<DecisionsDbContext>();
        await app.MigrateDatabaseAsync<NotificationsDbContext>();
        // What the services' migrate verb runs after the migrations: Membership's seeding, Decisions' fold refresh (the
        // sandbox's bus has no topology to deploy).
        foreach (var step in app.Services.GetServices<IReleaseStep>())
        {
            await step.RunAsync(cancellationToken);
        }

        await app.StartAsync(cancellationToken);
        app.PublishAddress();
        await app.Services.GetRequiredService<SampleDataLoader>().LoadAsync(cancellationToken);
    }

    // steeringctl reads the address from there, so a sandbox on other ports needs no --address; removed on stop.
    private static void PublishAddress(this WebApplication app)
    {
        if (app.Configuration[AddressFileKey] is not { Length: > 0 } file)
        {
            return;
        }

        var address = app.Configuration.GrpcAddress();
        try
        {
            SandboxAddressFile.Write(file, address);
            app.Lifetime.ApplicationStopped.Register(() => SandboxAddressFile.DeleteIfHolding(file, address));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not fatal: steeringctl then needs --address or STEERINGCTL_ADDRESS, and the banner says so.
            app.Configuration[AddressFileKey] = null;
            LogAddressNotWritten(app.Logger, file, e.Message);
        }
    }

    /// <summary>The gRPC address clients use (the loopback of the configured gRPC port).</summary>
    public static Uri GrpcAddress(this IConfiguration configuration) =>
        new($"http://127.0.0.1:{configuration.GetValue("Hosting:GrpcPort", DefaultGrpcPort)}");

    private static void AddSandboxConfiguration(this WebApplicationBuilder builder, bool reset)
    {
        var dataPath = Path.GetFullPath(builder.Configuration[DataPathKey] ?? Path.Combine(".data", "sandbox"));
        if (reset && Directory.Exists(dataPath))
        {
            Directory.Delete(dataPath, recursive: true);
        }

        Directory.CreateDirectory(dataPath);
        var grpcPort = builder.Configuration.GetValue("Hosting:GrpcPort", DefaultGrpcPort);
        // Defaults below whatever the environment or command line say, so every switch stays overridable.
        var defaults = new Dictionary<string, string?>
        {
            [DataPathKey] = dataPath,
            ["Storage:Provider"] = "Sqlite",
            ["ConnectionStrings:Database"] = SqliteConnectionString(dataPath, "membership.db"),
            ["Bus:Transport"] = "InMemory",
            ["Cache:Provider"] = "Memory",
            ["Hosting:GrpcPort"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Beside the gRPC port (5100 → 5110), so that one setting moves both.
            ["Hosting:HttpPort"] = (grpcPort + DefaultHttpPort - DefaultGrpcPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
            [AddressFileKey] = SandboxAddressFile.PathFrom(Environment.GetEnvironmentVariable),
            ["Messaging:EndpointPrefix"] = "sandbox",
            // Decisions reaches Membership over gRPC as in the distributed mode: here, this very process.
            ["Services:Membership"] = $"http://127.0.0.1:{grpcPort}",
            // A console a newcomer can read: the banner, warnings, and the sample decisions as they apply.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Egov.Steering.AllInOne"] = "Information",
        };
        var sources = builder.Configuration.Sources;
        // The services' own appsettings.json (their ports, Services:Membership) are copied into this host's output by
        // the project references: the sandbox's settings are the code above plus environment and command line.
        foreach (var serviceSettings in sources.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationSource>().ToList())
        {
            sources.Remove(serviceSettings);
        }

        sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = defaults });
    }

    // ConnectionStrings:Database is one per host; each service keeps its own file (their outbox, inbox, idempotency
    // and audit tables share names).
    private static void UseOwnSqliteFile<TContext>(this WebApplicationBuilder builder, string file)
        where TContext : DbContext
    {
        var connectionString = SqliteConnectionString(builder.Configuration[DataPathKey]!, file);
        builder.Services.ConfigureDbContext<TContext>(options => options.UseSqlite(connectionString));
    }

    [LoggerMessage(LogLevel.Warning, "The sandbox's address could not be written to {File} ({Reason}): steeringctl needs --address or STEERINGCTL_ADDRESS")]
    private static partial void LogAddressNotWritten(ILogger logger, string file, string reason);

    private static string SqliteConnectionString(string dataPath, string file) => $"Data Source={Path.Combine(dataPath, file)}";
}
