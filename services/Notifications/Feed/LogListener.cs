using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Egov.Steering.Notifications.Feed;

/// <summary>PostgreSQL only: LISTENs for appends committed by any replica and wakes this replica's log readers.</summary>
internal sealed partial class LogListener(string connectionString, LogSignal signal, ILogger<LogListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 15, Pooling = false };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += (_, notification) =>
                    signal.Announced(long.TryParse(notification.Payload, CultureInfo.InvariantCulture, out var position) ? position : null);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand("LISTEN " + EventLog.NotificationChannel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Appends committed while no one listened sent their NOTIFY to nobody.
                signal.Announced(null);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Readers keep polling meanwhile; only the wake-up is slower.
                LogListenFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Listening for log appends failed; reconnecting")]
    private partial void LogListenFailed(Exception exception);
}
