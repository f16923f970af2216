using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Web;
using Microsoft.AspNetCore.Http.Features;

namespace Egov.Steering.Notifications.Web;

/// <summary>
/// A stream's events as server-sent events: each live event's frame as its <see cref="FeedEvent"/> formatted it once
/// for every stream. The response starts at the first frame, so a refusal before it is an ordinary HTTP error.
/// </summary>
internal sealed class ServerSentEventSink(HttpResponse response) : IEventStreamSink
{
    private bool _started;

    public Task WriteEventAsync(FeedEvent feedEvent, CancellationToken cancellationToken) =>
        SendAsync(feedEvent.ServerSentEvent, cancellationToken);

    public Task WriteHeartbeatAsync(Heartbeat heartbeat, CancellationToken cancellationToken) =>
        SendAsync(ServerSentEventFrames.Heartbeat(heartbeat), cancellationToken);

    /// <summary>The stream's end with <paramref name="status"/>: an HTTP error before the stream started, an <c>error</c> event after.</summary>
    public async Task EndAsync(Google.Rpc.Status status)
    {
        if (!_started)
        {
            await JsonStatus.WriteAsync(response, status);
            return;
        }

        await response.WriteAsync($"event: error\ndata: {JsonStatus.Formatter.Format(status)}\n\n");
        await response.Body.FlushAsync();
    }

    private async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no"; // reverse proxies (ingress-nginx) must not hold events back
            response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.Body.WriteAsync(ServerSentEventFrames.Preamble, cancellationToken);
        }

        await response.Body.WriteAsync(frame, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
