using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.ServiceDefaults.Hosting;

/// <summary>
/// The exit code of a host that has stopped. A failed <see cref="BackgroundService"/> stops the host
/// (<see cref="BackgroundServiceExceptionBehavior.StopHost"/>), after which <c>RunAsync</c> returns as if an operator had
/// stopped it; returning 0 then would tell the orchestrator the service ended on purpose and it might never restart it.
/// </summary>
public static partial class ProcessExit
{
    /// <summary>EX_SOFTWARE: the process stopped because one of its background services failed.</summary>
    public const int BackgroundServiceFailed = 70;

    /// <summary>Runs the host until it stops (as <c>RunAsync</c> does) and returns the process exit code of <see cref="ExitCodeAfterStop"/>.</summary>
    public static async Task<int> RunToExitCodeAsync(this IHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        try
        {
            await host.StartAsync(cancellationToken);
            await host.WaitForShutdownAsync(cancellationToken);
            return host.ExitCodeAfterStop();
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }

    /// <summary>Of a host stopped but not yet disposed: 0 after an orderly stop; <see cref="BackgroundServiceFailed"/>, logged as critical, when a background service failed.</summary>
    public static int ExitCodeAfterStop(this IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var failed = host.Services.GetServices<IHostedService>()
            .OfType<BackgroundService>()
            .Where(service => service.ExecuteTask is { IsFaulted: true })
            .ToList();
        if (failed.Count == 0)
        {
            return 0;
        }

        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProcessExit));
        foreach (var service in failed)
        {
            LogBackgroundServiceFailed(logger, service.ExecuteTask!.Exception!.GetBaseException(), service.GetType().Name, BackgroundServiceFailed);
        }

        return BackgroundServiceFailed;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Service} failed and stopped the service; exiting with code {ExitCode}")]
    private static partial void LogBackgroundServiceFailed(ILogger logger, Exception exception, string service, int exitCode);
}
