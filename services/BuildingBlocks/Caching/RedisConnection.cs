using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Egov.Steering.Caching;

/// <summary>
/// The service's one connection to Redis, opened in the background: nothing waits for it, so a slow or absent Redis
/// never delays or stops a start. Until the first attempt has ended <see cref="Multiplexer"/> is null (callers use the
/// database); afterwards the multiplexer exists, connected or reconnecting in the background
/// (<see cref="ConfigurationOptions.AbortOnConnectFail"/> is off).
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly Task<ConnectionMultiplexer?> connecting;

    public RedisConnection(ConfigurationOptions configuration, ILogger<RedisConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.AbortOnConnectFail = false;
        connecting = Task.Run(async () =>
        {
            try
            {
                return await ConnectionMultiplexer.ConnectAsync(configuration);
            }
            catch (Exception e) when (e is RedisException or ArgumentException or TimeoutException)
            {
                LogConnectFailed(logger, e);
                return null;
            }
        });
    }

    /// <summary>The multiplexer once created (connected or reconnecting), else null.</summary>
    public IConnectionMultiplexer? Multiplexer => connecting.IsCompletedSuccessfully ? connecting.Result : null;

    /// <summary>Whether Redis can be asked now.</summary>
    public bool IsConnected => Multiplexer?.IsConnected == true;

    /// <summary>Runs <paramref name="attach"/> once the multiplexer exists (at once if it does), off the caller's thread.</summary>
    public void WhenCreated(Action<IConnectionMultiplexer> attach) =>
        connecting.ContinueWith(
            created =>
            {
                if (created.Result is { } multiplexer)
                {
                    attach(multiplexer);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        if (await connecting is { } multiplexer)
        {
            await multiplexer.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis cannot be used with this configuration; the service runs without its cache")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception);
}
