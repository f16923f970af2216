using System.Collections.Concurrent;
using System.Globalization;
using Egov.Steering.Caching;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Egov.Steering.Membership.Views;

/// <summary>
/// Cache-aside for the views, in two levels. Redis (when configured) holds each view serialized under a versioned key
/// <c>{prefix}{view}:e{epoch}:g{generation}:{as-of}</c> (prefix <c>membership:views:v1:</c>): a change increments the view's generation
/// (after its transaction committed), so no reader ever finds the old bytes under the new key, and publishes the
/// view's name; every replica's in-process copy is dropped on that message. While the connection to Redis is down,
/// replicas cannot hear those messages: the in-process copies are dropped and bypassed until it is back, and reads go
/// to the database. A change made while Redis was unreachable bumps the epoch (every key) once it is back.
/// Without Redis (embedded mode, <c>Cache:Provider=Memory</c>) there is one process: the in-process copy alone.
/// </summary>
public sealed partial class ViewCache : IDisposable
{

    private readonly RedisConnection? redis;
    private readonly ViewCacheOptions options;
    private readonly MembershipMetrics metrics;
    private readonly ILogger<ViewCache> logger;
    private readonly RedisChannel channel;
    private readonly RedisKey epochKey;
    private readonly ConcurrentDictionary<(string View, DateOnly AsOf), LocalCopy> local = new();
    private readonly ConcurrentDictionary<string, long> localGenerations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private IConnectionMultiplexer? attached;
    private long localEpoch;
    private int epochBumpPending;
    private bool subscribed;

    public ViewCache(IOptions<ViewCacheOptions> options, MembershipMetrics metrics, ILogger<ViewCache> logger, RedisConnection? redis = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.metrics = metrics;
        this.logger = logger;
        this.redis = redis;
        channel = RedisChannel.Literal(this.options.KeyPrefix + "invalidate");
        epochKey = this.options.KeyPrefix + "epoch";
        // Never waits for Redis here: this runs while the host resolves its services, and a slow Redis must not stop it.
        redis?.WhenCreated(Attach);
    }

    /// <summary>Whether in-process copies may be served: always without Redis; with Redis only while connected and listening.</summary>
    public bool LocalCopiesTrusted => redis is null || (redis.IsConnected && Volatile.Read(ref subscribed));

    /// <summary>The view from the in-process copy, else Redis, else <paramref name="build"/> (the database), filling both.</summary>
    public async Task<T> GetOrCreateAsync<T>(
        string view, DateOnly asOf, MessageParser<T> parser, Func<CancellationToken, Task<T>> build, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(build);
        return parser.ParseFrom(await GetOrCreateAsync(view, asOf, async token => (await build(token)).ToByteArray(), cancellationToken));
    }

    /// <summary>
    /// The view's serialized bytes from the in-process copy, else Redis, else <paramref name="build"/> (the database),
    /// filling both. The bytes are shared with every later reader: never change them.
    /// </summary>
    public async Task<byte[]> GetOrCreateAsync(string view, DateOnly asOf, Func<CancellationToken, Task<byte[]>> build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        var trusted = LocalCopiesTrusted;
        var stamp = Stamp(view);
        if (trusted && local.TryGetValue((view, asOf), out var copy) && copy.Stamp == stamp)
        {
            metrics.ViewServed("local");
            return copy.Bytes;
        }

        var key = await KeyAsync(view, asOf);
        var found = key is { } redisKey ? await TryRedisAsync(db => db.StringGetAsync(redisKey), "read") : RedisValue.Null;
        byte[] bytes;
        if (found is { IsNull: false })
        {
            bytes = (byte[])found!;
            metrics.ViewServed("redis");
        }
        else
        {
            bytes = await build(cancellationToken);
            metrics.ViewServed("miss");
            if (key is { } writeKey)
            {
                await TryRedisAsync(db => db.StringSetAsync(writeKey, bytes, options.RedisTimeToLive), "write");
            }
        }

        // Kept with the stamp read before loading: an invalidation heard meanwhile makes the copy stale at once.
        if (trusted && LocalCopiesTrusted)
        {
            if (local.Count >= options.LocalCapacity)
            {
                local.Clear();
            }

            local[(view, asOf)] = new LocalCopy(bytes, stamp);
        }

        return bytes;
    }

    /// <summary>
    /// The in-process copy of the view when it may be served (current and trusted), else null: the read that costs
    /// no Redis or database call, for callers that want to skip building anything on a hit.
    /// </summary>
    public byte[]? TryGetLocal(string view, DateOnly asOf)
    {
        if (LocalCopiesTrusted && local.TryGetValue((view, asOf), out var copy) && copy.Stamp == Stamp(view))
        {
            metrics.ViewServed("local");
            return copy.Bytes;
        }

        return null;
    }

    /// <summary>
    /// After a change committed: drops this replica's copies at once, then moves the views to new Redis keys and tells
    /// the other replicas. Never throws: if Redis cannot be told now, every key moves once it is back.
    /// </summary>
    public async Task InvalidateAsync(IReadOnlyCollection<string> views)
    {
        ArgumentNullException.ThrowIfNull(views);
        if (views.Count == 0)
        {
            return;
        }

        Forget(views);
        if (redis is null)
        {
            return;
        }

        var told = await TryRedisAsync(
            async db =>
            {
                var batch = db.CreateBatch();
                var increments = views.Where(v => v != ViewKeys.All).Select(v => batch.StringIncrementAsync(GenerationKey(v))).ToList();
                if (views.Contains(ViewKeys.All))
                {
                    increments.Add(batch.StringIncrementAsync(epochKey));
                }

                var publish = batch.PublishAsync(channel, string.Join('\n', views));
                batch.Execute();
                await Task.WhenAll(increments);
                await publish;
                return true;
            },
            "invalidate");
        if (!told)
        {
            Interlocked.Exchange(ref epochBumpPending, 1);
            LogInvalidationDeferred(string.Join(", ", views));
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        if (Interlocked.Exchange(ref attached, null) is { } multiplexer)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionRestored;
        }

        stopping.Dispose();
    }

    private void Forget(IEnumerable<string> views)
    {
        foreach (var view in views)
        {
            if (view == ViewKeys.All)
            {
                Interlocked.Increment(ref localEpoch);
            }
            else
            {
                localGenerations.AddOrUpdate(view, 1, (_, generation) => generation + 1);
            }
        }
    }

    private long Stamp(string view) => Interlocked.Read(ref localEpoch) + localGenerations.GetValueOrDefault(view);

    /// <summary>The Redis key of the view's current epoch and generation; null when Redis cannot be asked now.</summary>
    private async Task<RedisKey?> KeyAsync(string view, DateOnly asOf)
    {
        if (redis is null || !redis.IsConnected)
        {
            return null;
        }

        var counters = await TryRedisAsync(db => db.StringGetAsync([epochKey, GenerationKey(view)]), "read");
        return counters is null
            ? (RedisKey?)null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{options.KeyPrefix}{view}:e{Counter(counters[0])}:g{Counter(counters[1])}:{asOf:yyyy-MM-dd}");
    }

    private static long Counter(RedisValue value) => value.IsNull ? 0 : (long)value;

    private RedisKey GenerationKey(string view) => options.KeyPrefix + "generation:" + view;

    /// <summary>One Redis call bounded by <see cref="ViewCacheOptions.RedisTimeout"/>; default (null/false) when Redis is down or slow.</summary>
    private async Task<TResult?> TryRedisAsync<TResult>(Func<IDatabase, Task<TResult>> call, string what)
    {
        if (redis?.Multiplexer is not { IsConnected: true } multiplexer)
        {
            return default;
        }

        try
        {
            return await call(multiplexer.GetDatabase()).WaitAsync(options.RedisTimeout);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisFailed(e, what);
            return default;
        }
    }

    private void Attach(IConnectionMultiplexer multiplexer)
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        Volatile.Write(ref attached, multiplexer);
        _ = ListenAsync(multiplexer);
    }

    /// <summary>
    /// Subscribes to other replicas' changes, in the background and until it succeeds: a replica started while Redis
    /// is down or slow reads the database meanwhile (Redis resubscribes by itself after later reconnects).
    /// </summary>
    private async Task ListenAsync(IConnectionMultiplexer multiplexer)
    {
        var pause = options.SubscribeRetryMinDelay;
        while (!stopping.IsCancellationRequested)
        {
            if (multiplexer.IsConnected)
            {
                try
                {
                    await multiplexer.GetSubscriber().SubscribeAsync(channel, (_, message) => Forget(((string?)message ?? "").Split('\n')));
                    Volatile.Write(ref subscribed, true);
                    LogListening();
                    await BumpEpochIfPendingAsync();
                    return;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    LogRedisFailed(e, "subscribe");
                }
            }

            try
            {
                await Task.Delay(pause, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, options.SubscribeRetryMaxDelay.Ticks));
        }
    }

    private Task BumpEpochIfPendingAsync() =>
        Interlocked.Exchange(ref epochBumpPending, 0) == 1 ? InvalidateAsync([ViewKeys.All]) : Task.CompletedTask;

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        // Invalidations may be missed from now on: no in-process copy is trusted until the connection is back.
        Interlocked.Increment(ref localEpoch);
        local.Clear();
        LogConnectionFailed(e.FailureType);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        Interlocked.Increment(ref localEpoch);
        local.Clear();
        _ = BumpEpochIfPendingAsync();
        LogConnectionRestored();
    }

    private sealed record LocalCopy(byte[] Bytes, long Stamp);

    [LoggerMessage(LogLevel.Warning, "Redis {What} failed; the views use the database meanwhile")]
    private partial void LogRedisFailed(Exception exception, string what);

    [LoggerMessage(LogLevel.Warning, "Could not invalidate {Views} in Redis; every cached view moves to new keys once Redis is back")]
    private partial void LogInvalidationDeferred(string views);

    [LoggerMessage(LogLevel.Warning, "Redis connection failed ({FailureType}): in-process view copies are bypassed until it is back")]
    private partial void LogConnectionFailed(ConnectionFailureType failureType);

    [LoggerMessage(LogLevel.Information, "Listening to view invalidations in Redis: in-process view copies are used")]
    private partial void LogListening();

    [LoggerMessage(LogLevel.Information, "Redis connection restored: in-process view copies dropped, the cache refills")]
    private partial void LogConnectionRestored();
}

public sealed class ViewCacheOptions
{
    public const string SectionName = "Views";

    /// <summary>Prefix of every Redis key and of the invalidation channel (<c>{prefix}invalidate</c>); bump the version when the view format changes.</summary>
    public string KeyPrefix { get; set; } = "membership:views:v1:";

    /// <summary>Longest wait for one Redis call before the read goes to the database.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long an entry stays in Redis (keys move on every change; this only bounds memory).</summary>
    public TimeSpan RedisTimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>First pause before subscribing to invalidations again after Redis refused or was slow; doubles up to the maximum.</summary>
    public TimeSpan SubscribeRetryMinDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest pause between two attempts to subscribe to invalidations.</summary>
    public TimeSpan SubscribeRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most in-process copies kept (views × as-of dates); beyond it they are dropped and refilled.</summary>
    public int LocalCapacity { get; set; } = 2000;
}
