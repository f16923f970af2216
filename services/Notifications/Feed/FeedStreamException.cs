using Egov.Steering.ServiceDefaults.Errors;
using Grpc.Core;

namespace Egov.Steering.Notifications.Feed;

/// <summary>Why the server ended a WatchEvents stream; the client resumes after the last position it processed.</summary>
public sealed class FeedStreamException : ApiException
{
    private FeedStreamException(StatusCode code, string reason, string message)
        : base(code, reason, message)
    {
    }

    public static FeedStreamException TooFarBehind(int bufferBytes) => new(
        StatusCode.ResourceExhausted,
        "STREAM_TOO_FAR_BEHIND",
        $"the client fell more than {bufferBytes} bytes of events behind: resume after the last position it processed");

    public static FeedStreamException ShuttingDown() => new(
        StatusCode.Unavailable,
        "SERVER_SHUTTING_DOWN",
        "the server is shutting down: resume after the last position processed, on another replica");
}
