using System.Globalization;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.ServiceDefaults.Web;
using Grpc.Core;

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
        var stream = new ServerSentEventSink(http.Response);
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
}
