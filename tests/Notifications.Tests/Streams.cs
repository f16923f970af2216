using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.V1;
using Grpc.Core;

namespace Egov.Steering.Notifications.Tests;

public static class Streams
{
    /// <summary>The next <paramref name="count"/> events of a stream, skipping heartbeats.</summary>
    public static async Task<List<EventEnvelope>> ReadEventsAsync(this AsyncServerStreamingCall<WatchEventsResponse> call, int count)
    {
        var events = new List<EventEnvelope>();
        while (events.Count < count && await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            if (call.ResponseStream.Current.Event is { } envelope)
            {
                events.Add(envelope);
            }
        }

        return events;
    }

    /// <summary>Reads until the stream ends with an error, returning its status code.</summary>
    public static async Task<StatusCode> ReadUntilErrorAsync(this AsyncServerStreamingCall<WatchEventsResponse> call)
    {
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }

            return StatusCode.OK;
        }
        catch (RpcException exception)
        {
            return exception.StatusCode;
        }
    }

    public static EventFilter OnlyCommittee(string committee) => new() { Committees = { committee } };
}
