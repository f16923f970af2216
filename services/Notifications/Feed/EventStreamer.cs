using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Auth;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// One WatchEvents stream: replays the log after the client's position by itself, joins the shared feed exactly
/// where the replay ended, then forwards live events and heartbeats until the client leaves, falls too far behind
/// (RESOURCE_EXHAUSTED) or the server shuts down (UNAVAILABLE). A stream is admitted only within the caller's and the
/// process's stream limits (else RESOURCE_EXHAUSTED with a retry delay).
/// </summary>
public sealed class EventStreamer(
    EventFeed feed,
    StreamAdmission admission,
    NotificationsDbContext db,
    IOptions<NotificationsOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider)
{
    /// <summary>A WatchEvents call: the caller may read and the request is valid, then the stream as <see cref="StreamAsync"/>.</summary>
    public Task WatchAsync(Caller caller, WatchEventsRequest request, IEventStreamSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        caller.EnsureCanRead();
        FeedRequests.ValidateWatch(request);
        var filter = new EventFilterMatcher(request.Filter, request.OwnOrganisationOnly ? caller.Organisation : null);
        return StreamAsync(caller, request.HasAfterPosition ? request.AfterPosition : null, filter, sink, cancellationToken);
    }

    private async Task StreamAsync(
        Caller caller,
        long? afterPosition,
        EventFilterMatcher filter,
        IEventStreamSink sink,
        CancellationToken cancellationToken)
    {
        using var lease = admission.Admit(caller);
        if (afterPosition is { } start)
        {
            await EventLog.EnsureInRangeAsync(db, start, cancellationToken);
        }

        await feed.Ready.WaitAsync(cancellationToken);
        var subscriber = new FeedSubscriber(filter, options.Value.Feed.StreamBufferBytes);
        try
        {
            if (afterPosition is { } after)
            {
                await ReplayAsync(after, filter, subscriber, lease, sink, cancellationToken);
            }
            else
            {
                feed.AttachAtEnd(subscriber);
            }

            await ForwardLiveAsync(subscriber, sink, cancellationToken);
        }
        finally
        {
            feed.Detach(subscriber);
        }
    }

    // One page of the log at a time, each read only once the client has taken the one before (a write waits while
    // HTTP/2 flow control holds it): a client that stops reading holds one page, however long the log.
    private async Task ReplayAsync(
        long after,
        EventFilterMatcher filter,
        FeedSubscriber subscriber,
        StreamLease lease,
        IEventStreamSink sink,
        CancellationToken cancellationToken)
    {
        var last = after;
        while (true)
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                throw FeedStreamException.ShuttingDown();
            }

            var page = await EventLog.ReadPageAsync(db, last, options.Value.Feed.ReplayPageBytes, cancellationToken);
            lease.Hold(page.Bytes);
            foreach (var row in page.Rows)
            {
                var envelope = row.ToEnvelope();
                if (filter.Matches(envelope))
                {
                    await sink.WriteEventAsync(FeedEvent.Of(envelope), cancellationToken);
                }

                last = row.Position;
            }

            lease.Hold(0);
            // The log's end as of that read; the feed takes over if it has not passed it.
            if (page.ReachesEnd && feed.TryAttach(subscriber, last))
            {
                return;
            }
        }
    }

    private async Task ForwardLiveAsync(
        FeedSubscriber subscriber, IEventStreamSink sink, CancellationToken cancellationToken)
    {
        var reader = subscriber.Reader;
        // A client that reads nothing holds up our write (HTTP/2 flow control) while the feed cuts it off. It gets
        // the grace period to read again and learn why: what it was sent, then RESOURCE_EXHAUSTED. After that the
        // write is abandoned, which resets its stream, so a client that never reads again holds nothing for long.
        using var writes = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var grace = options.Value.Feed.CutOffGracePeriod;
        using var cutOff = subscriber.CutOff.Register(() => writes.CancelAfter(grace));
        // The first heartbeat goes out at once: a client watching "from now" learns where now is, and can resume
        // from there even if the stream breaks before its first event. The heartbeat's timer is moved on by each
        // write rather than started anew per event (with 1,000 streams an event would start 1,000 timers).
        var interval = options.Value.Feed.HeartbeatInterval;
        CancellationTokenSource? heartbeatDue = null, waitEnds = null;
        try
        {
            RestartHeartbeat(TimeSpan.Zero);
            while (true)
            {
                var wrote = false;
                while (reader.TryRead(out var feedEvent))
                {
                    await WriteAsync(token => sink.WriteEventAsync(feedEvent, token), subscriber, writes.Token);
                    wrote = true;
                }

                if (wrote)
                {
                    RestartHeartbeat(interval);
                }

                try
                {
                    if (!await reader.WaitToReadAsync(waitEnds!.Token))
                    {
                        await reader.Completion; // throws why the feed ended the stream
                        return;
                    }

                    continue;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    RestartHeartbeat(interval);
                }

                // Read before looking for buffered events: the feed buffers an event before it passes its position.
                var passed = subscriber.Passed;
                if (reader.TryPeek(out _))
                {
                    continue;
                }

                var beat = new Heartbeat { Position = passed, Time = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()) };
                await WriteAsync(token => sink.WriteHeartbeatAsync(beat, token), subscriber, writes.Token);
            }
        }
        finally
        {
            waitEnds?.Dispose();
            heartbeatDue?.Dispose();
        }

        void RestartHeartbeat(TimeSpan delay)
        {
            if (heartbeatDue is { IsCancellationRequested: false })
            {
                heartbeatDue.CancelAfter(delay);
                return;
            }

            waitEnds?.Dispose();
            heartbeatDue?.Dispose();
            heartbeatDue = new CancellationTokenSource(delay, timeProvider);
            waitEnds = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, heartbeatDue.Token);
        }
    }

    private static async Task WriteAsync(
        Func<CancellationToken, Task> write, FeedSubscriber subscriber, CancellationToken cancellationToken)
    {
        // A stream cut off for falling behind ends now, without its buffered rest: the client resumes from the
        // last position it processed.
        if (subscriber.IsCutOff)
        {
            // Not Reader.Completion: it completes only once the abandoned buffer has been drained.
            throw FeedStreamException.TooFarBehind(subscriber.CapacityBytes);
        }

        try
        {
            await write(cancellationToken);
        }
        catch (OperationCanceledException) when (subscriber.IsCutOff)
        {
            throw FeedStreamException.TooFarBehind(subscriber.CapacityBytes);
        }
        catch (InvalidOperationException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away while we wrote ("the request is complete"): a normal end, not a failure.
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
