using System.Globalization;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Egov.Steering.Notifications.Feed;

/// <summary>RESOURCE_EXHAUSTED: no place for another stream now; retry after the delay in its RetryInfo.</summary>
public sealed class StreamLimitException : ApiException
{
    private readonly int _limit;
    private readonly string _quotaSubject;
    private readonly TimeSpan _retryDelay;

    private StreamLimitException(string reason, string message, int limit, string quotaSubject, TimeSpan retryDelay)
        : base(StatusCode.ResourceExhausted, reason, message)
    {
        _limit = limit;
        _quotaSubject = quotaSubject;
        _retryDelay = retryDelay;
    }

    public static StreamLimitException ForCaller(Caller caller, int limit, TimeSpan retryDelay) => new(
        "TOO_MANY_STREAMS_FOR_CALLER",
        $"this caller already has {limit} open WatchEvents streams, its limit: close one, or retry later",
        limit,
        $"caller:{caller.Organisation}/{caller.Subject}",
        retryDelay);

    public static StreamLimitException ForProcess(int limit, TimeSpan retryDelay) => new(
        "TOO_MANY_STREAMS",
        $"this server already serves {limit} WatchEvents streams, its limit: retry later (another replica may have room)",
        limit,
        "service:notifications",
        retryDelay);

    protected override IEnumerable<KeyValuePair<string, string>> Metadata() =>
        [new("limit", _limit.ToString(CultureInfo.InvariantCulture))];

    protected override IEnumerable<IMessage> Details() =>
    [
        new QuotaFailure
        {
            Violations = { new QuotaFailure.Types.Violation { Subject = _quotaSubject, Description = $"at most {_limit} open WatchEvents streams" } },
        },
        new RetryInfo { RetryDelay = Duration.FromTimeSpan(_retryDelay) },
    ];
}
