using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.V1;
using Grpc.Core;

namespace Egov.Steering.Notifications.Tests;

public static class Streams
{
    /// <summary>The next <paramref name="count"/> events of a stream, skipping heartbeats.</summary>
    public static async Task<List<EventEnvelope>> ReadEventsAsync(
        this AsyncServerStreamingCall<WatchEventsResponse> call, int count, CancellationToken cancellationToken = default)
    {
        var events = new List<EventEnvelope>();
        while (events.Count < count && await call.ResponseStream.MoveNext(cancellationToken))
        {
            if (call.ResponseStream.Current.Event is { } envelope)
            {
                events.Add(envelope);
            }
        }

        return events;
    }

    /// <summary>Reads until the stream ends with an error, returning its status code.</summary>
    public static async Task<StatusCode> ReadUntilErrorAsync(this AsyncServerStreamingCall<WatchEventsResponse> call) =>
        (await call.ReadEventsUntilEndAsync(CancellationToken.None)).Error?.StatusCode ?? StatusCode.OK;

    /// <summary>Every event until the stream ends, and the error it ended with (null for OK).</summary>
    public static async Task<(List<EventEnvelope> Events, RpcException? Error)> ReadEventsUntilEndAsync(
        this AsyncServerStreamingCall<WatchEventsResponse> call, CancellationToken cancellationToken)
    {
        var events = new List<EventEnvelope>();
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                if (call.ResponseStream.Current.Event is { } envelope)
                {
                    events.Add(envelope);
                }
            }

            return (events, null);
        }
        catch (RpcException exception)
        {
            return (events, exception);
        }
    }

    public static EventFilter OnlyCommittee(string committee) => new() { Committees = { committee } };
}
