using System.Globalization;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.ServiceDefaults.Web;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace Egov.Steering.Notifications.Web;

/// <summary>
/// WatchEvents as server-sent events for browsers (EventSource) and simple clients (<c>curl -N</c>): the same stream
/// code, filters, limits and authorization as the gRPC method; the request's fields from the query string as JSON
/// transcoding binds them; resume from <c>Last-Event-ID</c>. /work/wt/HTTP-PATHS.md and the README describe the format.
/// </summary>
public static class EventStreamEndpoint
{
    public const string Path = "/v1/events:stream";

    /// <summary>The header EventSource sends when it reconnects: the id (position) of the last event or heartbeat it received.</summary>
    public const string LastEventIdHeader = "Last-Event-ID";

    private static readonly HttpApiEndpoint Description = new(
        Path,
        "NotificationsService_StreamEvents",
        "WatchEvents as server-sent events; resume with Last-Event-ID; the token in Authorization or the access_token parameter",
        NotificationsService.Descriptor.Name,
        WatchEventsRequest.Descriptor,
        ["event", "heartbeat", "error"]);

    private static readonly string WatchEventsMethod = $"/{NotificationsService.Descriptor.FullName}/WatchEvents";

    public static IEndpointConventionBuilder MapEventStream(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, StreamAsync)
            .RequireAuthorization(SteeringPolicies.Read)
            .WithMetadata(Description, QueryAccessToken.Allowed)
            .ExcludeFromDescription();

    private static async Task StreamAsync(
        HttpContext http, Caller caller, EventStreamer streamer, ExceptionMappingInterceptor errors)
    {
        var stream = new ServerSentEventStream(http.Response);
        try
        {
            var request = QueryBinder.Bind<WatchEventsRequest>(http.Request.Query, QueryAccessToken.ParameterName);
            if (http.Request.Headers[LastEventIdHeader].ToString() is { Length: > 0 } lastEventId)
            {
                request.AfterPosition = ParseLastEventId(lastEventId);
            }

            RequestInputInterceptor.Check(request);
            await streamer.WatchAsync(caller, request, stream, http.RequestAborted);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client left: nothing to tell it.
        }
        catch (Exception exception)
        {
            var rpc = errors.Map(exception, WatchEventsMethod, DateTime.MaxValue, http);
            await stream.EndAsync(rpc.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)rpc.StatusCode, Message = rpc.Status.Detail });
        }
    }

    private static long ParseLastEventId(string value)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            new RequestValidator().Add(LastEventIdHeader, "must be the id of an event or heartbeat the stream sent (a position)").ThrowIfInvalid();
        }

        return position;
    }

    /// <summary>
    /// Writes WatchEventsResponses as events (<c>id:</c> the position, <c>event: event|heartbeat</c>, <c>data:</c> the
    /// proto3 JSON); the response starts at the first one, so a refusal before it is an ordinary HTTP error.
    /// </summary>
    private sealed class ServerSentEventStream(HttpResponse response) : IServerStreamWriter<WatchEventsResponse>
    {
        // As JSON transcoding writes messages: every field, defaults included.
        private static readonly Google.Protobuf.JsonFormatter Json = new(Google.Protobuf.JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(WatchEventsResponse message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(WatchEventsResponse message, CancellationToken cancellationToken) => message.ItemCase switch
        {
            WatchEventsResponse.ItemOneofCase.Event => SendAsync(message.Event.Position, "event", Json.Format(message.Event), cancellationToken),
            _ => SendAsync(message.Heartbeat.Position, "heartbeat", Json.Format(message.Heartbeat), cancellationToken),
        };

        /// <summary>The stream's end with <paramref name="status"/>: an HTTP error before the stream started, an <c>error</c> event after.</summary>
        public async Task EndAsync(Google.Rpc.Status status)
        {
            if (!response.HasStarted)
            {
                await JsonStatus.WriteAsync(response, status);
                return;
            }

            await response.WriteAsync($"event: error\ndata: {JsonStatus.Formatter.Format(status)}\n\n");
            await response.Body.FlushAsync();
        }

        private async Task SendAsync(long position, string kind, string json, CancellationToken cancellationToken)
        {
            if (!response.HasStarted)
            {
                response.ContentType = "text/event-stream; charset=utf-8";
                response.Headers.CacheControl = "no-cache";
                response.Headers["X-Accel-Buffering"] = "no"; // reverse proxies (ingress-nginx) must not hold events back
                response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                await response.WriteAsync("retry: 2000\n\n", cancellationToken);
            }

            var id = position.ToString(CultureInfo.InvariantCulture);
            await response.WriteAsync($"id: {id}\nevent: {kind}\ndata: {json}\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
    }
}
