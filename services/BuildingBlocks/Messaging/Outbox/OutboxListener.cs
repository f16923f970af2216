using Npgsql;

namespace Egov.Steering.Messaging.Outbox;

/// <summary>LISTENs on a dedicated PostgreSQL connection and turns each NOTIFY of another host into a relay wake-up.</summary>
internal static class OutboxListener
{
    public static async Task ListenAsync(string connectionString, string origin, OutboxSignal signal, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 15, Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Notification += (_, notification) =>
        {
            if (notification.Payload != origin)
            {
                signal.Notify();
            }
        };
        await connection.OpenAsync(cancellationToken);
        await using (var listen = new NpgsqlCommand("LISTEN " + OutboxInterceptor.NotificationChannel, connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        // Commits made while this connection was down sent their NOTIFY to nobody.
        signal.Notify();
        while (true)
        {
            await connection.WaitAsync(cancellationToken);
        }
    }
}
