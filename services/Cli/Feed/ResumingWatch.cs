using System.Globalization;
using Egov.Steering.Notifications.V1;
using Egov.Steering.Retries;
using Grpc.Core;

namespace Egov.Steering.Cli.Feed;

/// <summary>
/// Reads NotificationsService.WatchEvents and, when the stream breaks in a way the feed documents as resumable,
/// reconnects with back-off after the last position seen (an event's, or a heartbeat's: the position the stream
/// passed), so that nothing is skipped or repeated. Each reconnection is told on <paramref name="log"/> (stderr).
/// </summary>
public sealed class ResumingWatch(NotificationsService.NotificationsServiceClient client, Metadata headers, TextWriter log)
{
    private static readonly Backoff Reconnects = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    /// <summary>
    /// Streams until <paramref name="handle"/> answers true (enough) or <paramref name="cancellationToken"/> is
    /// cancelled. Throws the <see cref="RpcException"/> of a failure that is not resumable, and of any failure before
    /// the server answered at all (then it is not there: the caller says how to start it).
    /// </summary>
    public async Task RunAsync(WatchEventsRequest request, Func<WatchEventsResponse, Task<bool>> handle, CancellationToken cancellationToken)
    {
        var answered = false;
        var reconnecting = false;
        var failures = 0;
        while (true)
        {
            string why;
            try
            {
                using var call = client.WatchEvents(request, headers, cancellationToken: cancellationToken);
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    var response = call.ResponseStream.Current;
                    answered = true;
                    failures = 0;
                    if (reconnecting)
                    {
                        reconnecting = false;
                        await log.WriteLineAsync($"watch: resumed {Start(request)}");
                    }

                    var position = response.ItemCase == WatchEventsResponse.ItemOneofCase.Event ? response.Event.Position : response.Heartbeat.Position;
                    if (!request.HasAfterPosition || position > request.AfterPosition)
                    {
                        request.AfterPosition = position;
                    }

                    if (await handle(response))
                    {
                        return;
                    }
                }

                why = "the server ended the stream";
            }
            catch (RpcException exception) when (answered && IsResumable(exception) && !cancellationToken.IsCancellationRequested)
            {
                why = $"the stream broke ({exception.StatusCode}: {exception.Status.Detail})";
            }

            var delay = Reconnects.Delay(++failures);
            await log.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture, $"watch: {why}; reconnecting in {delay.TotalSeconds:0.#} s {Start(request)}"));
            await Task.Delay(delay, cancellationToken);
            reconnecting = true;
        }
    }

    /// <summary>
    /// What the feed documents as "resume from your last position": UNAVAILABLE (server shutting down, or not reachable
    /// right now), RESOURCE_EXHAUSTED (the client fell too far behind), and a connection lost mid-stream.
    /// </summary>
    public static bool IsResumable(RpcException exception) => exception.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.ResourceExhausted => true,
        StatusCode.Internal or StatusCode.Unknown => exception.InnerException is HttpRequestException or IOException,
        _ => false,
    };

    private static string Start(WatchEventsRequest request) => request.HasAfterPosition
        ? string.Create(CultureInfo.InvariantCulture, $"after position {request.AfterPosition}")
        : "from now (no position seen yet: events in between are not replayed)";
}
