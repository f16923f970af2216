using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// The one reader of the log per replica for every live stream: it tails the log (woken on append, polling as a
/// fallback), decodes and serializes each event once and offers it to every subscriber's bounded buffer. A stream joins at the
/// exact position it has replayed to, under the same lock, so there is no gap or duplicate at the seam.
/// </summary>
public sealed partial class EventFeed(
    IServiceScopeFactory scopes,
    LogSignal signal,
    IOptions<NotificationsOptions> options,
    NotificationsTelemetry telemetry,
    IHostApplicationLifetime lifetime,
    ILogger<EventFeed> logger) : BackgroundService
{
    private const int BatchSize = 500;

    private readonly Lock _gate = new();
    private readonly HashSet<FeedSubscriber> _subscribers = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _position;
    private bool _stopping;

    /// <summary>Completes once the feed knows the log's end.</summary>
    public Task Ready => _ready.Task;

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Joins live delivery from the feed's current position ("from now").</summary>
    public void AttachAtEnd(FeedSubscriber subscriber)
    {
        lock (_gate)
        {
            Join(subscriber, _position);
        }
    }

    /// <summary>
    /// Joins live delivery after <paramref name="afterPosition"/>, the position the stream replayed to; false when
    /// the feed is already past it (the stream must read the log further first).
    /// </summary>
    public bool TryAttach(FeedSubscriber subscriber, long afterPosition)
    {
        lock (_gate)
        {
            if (_position > afterPosition)
            {
                return false;
            }

            Join(subscriber, afterPosition);
            return true;
        }
    }

    /// <summary>
    /// Events this replica has just committed, offered without reading them back from the log when they continue
    /// the feed exactly; otherwise (another replica's or a concurrent commit came first) the tail reads them in order,
    /// woken by the same commit.
    /// </summary>
    internal void OfferCommitted(IReadOnlyList<EventEnvelope> committed)
    {
        if (!_ready.Task.IsCompleted || committed.Count == 0 || committed[0].Position != Interlocked.Read(ref _position) + 1)
        {
            return;
        }

        // Serialized once for every stream, outside the lock.
        var feedEvents = committed.Select(FeedEvent.Of).ToList();
        lock (_gate)
        {
            OfferInOrder(feedEvents);
        }
    }

    public void Detach(FeedSubscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscriber);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = signal.Subscribe();
        // Streams end with UNAVAILABLE as soon as shutdown starts, before the server stops taking their writes.
        await using var stopping = lifetime.ApplicationStopping.Register(EndAll);
        var signalled = false;
        var unpositioned = signal.UnpositionedWakeUps;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!_ready.Task.IsCompleted)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
                    _position = await EventLog.LastPositionAsync(db, stoppingToken);
                    _ready.TrySetResult();
                }

                // Woken only for appends this replica committed and has already offered: nothing to read. A poll reads.
                if (!signalled || signal.MayHaveNewAfter(Interlocked.Read(ref _position), unpositioned))
                {
                    unpositioned = signal.UnpositionedWakeUps;
                    await TailAsync(stoppingToken);
                }

                signalled = await wait(options.Value.Feed.PollInterval, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Streams stay open (with heartbeats) while the database is away.
                LogTailFailed(exception);
                await Task.Delay(options.Value.Feed.PollInterval, stoppingToken);
            }
        }
    }

    private async Task TailAsync(CancellationToken cancellationToken)
    {
        List<LoggedEvent> batch;
        do
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            batch = await EventLog.ReadAfterAsync(db, Interlocked.Read(ref _position), BatchSize, cancellationToken);
            // Decoded and serialized once for every stream.
            var feedEvents = batch.Select(row => FeedEvent.Of(row.ToEnvelope())).ToList();
            lock (_gate)
            {
                OfferInOrder(feedEvents);
            }
        }
        while (batch.Count == BatchSize);
    }

    // Each event that is the next position, from the first one the feed has not passed (a commit handed over some
    // while they were read); stops at a gap, which the tail fills from the log.
    private void OfferInOrder(List<FeedEvent> feedEvents)
    {
        foreach (var feedEvent in feedEvents)
        {
            var position = feedEvent.Envelope.Position;
            if (position <= _position)
            {
                continue;
            }

            if (position != _position + 1)
            {
                return;
            }

            Offer(feedEvent);
            Interlocked.Exchange(ref _position, position);
        }
    }

    private void Offer(FeedEvent feedEvent)
    {
        List<FeedSubscriber>? cutOff = null;
        foreach (var subscriber in _subscribers)
        {
            if (!subscriber.Offer(feedEvent))
            {
                (cutOff ??= []).Add(subscriber);
            }
        }

        foreach (var subscriber in cutOff ?? [])
        {
            _subscribers.Remove(subscriber);
            telemetry.StreamCutOffs.Add(1, NotificationsTelemetry.Reason("too_far_behind"));
            LogCutOff(feedEvent.Envelope.Position);
        }
    }

    private void Join(FeedSubscriber subscriber, long afterPosition)
    {
        if (_stopping)
        {
            subscriber.End(FeedStreamException.ShuttingDown());
            return;
        }

        subscriber.Start(afterPosition);
        _subscribers.Add(subscriber);
    }

    private void EndAll()
    {
        lock (_gate)
        {
            _stopping = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.End(FeedStreamException.ShuttingDown());
            }

            telemetry.StreamCutOffs.Add(_subscribers.Count, NotificationsTelemetry.Reason("shutting_down"));

            _subscribers.Clear();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Reading the event log failed; retrying")]
    private partial void LogTailFailed(Exception exception);

    [LoggerMessage(LogLevel.Information, "A WatchEvents stream fell too far behind at position {Position} and was cut off")]
    private partial void LogCutOff(long position);
}
