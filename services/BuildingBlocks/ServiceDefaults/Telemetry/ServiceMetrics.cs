using System.Diagnostics.Metrics;
using Grpc.Core;

namespace Egov.Steering.ServiceDefaults.Telemetry;

/// <summary>Instruments every service shares (meter <c>Egov.Steering.ServiceDefaults</c>).</summary>
public static class ServiceMetrics
{
    public const string MeterName = "Egov.Steering.ServiceDefaults";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Refused =
        Meter.CreateCounter<long>("steering.rpc.refused", "{call}", "Calls answered with an expected error (code: the gRPC status, reason: the ErrorInfo reason)");

    /// <summary>Counts a call refused with <paramref name="code"/> and its ErrorInfo <paramref name="reason"/>.</summary>
    public static void RecordRefused(StatusCode code, string reason) =>
        Refused.Add(1, new KeyValuePair<string, object?>("code", code.ToString()), new KeyValuePair<string, object?>("reason", reason));
}
