using System.Diagnostics.Metrics;
using Grpc.Core;

namespace Egov.Steering.ServiceDefaults.Telemetry;

/// <summary>
/// Instruments every service shares (meter <c>Egov.Steering.ServiceDefaults</c>), made by the host's
/// <see cref="IMeterFactory"/>: each host in a process counts its own calls (see <see cref="TelemetryExtensions.AddServiceTelemetry"/>).
/// </summary>
public sealed class ServiceMetrics(IMeterFactory meters)
{
    public const string MeterName = "Egov.Steering.ServiceDefaults";

    private readonly Counter<long> refused = meters.Create(MeterName).CreateCounter<long>(
        "steering.rpc.refused", "{call}", "Calls answered with an expected error (code: the gRPC status, reason: the ErrorInfo reason)");

    /// <summary>Counts a call refused with <paramref name="code"/> and its ErrorInfo <paramref name="reason"/>.</summary>
    public void RecordRefused(StatusCode code, string reason) =>
        refused.Add(1, new KeyValuePair<string, object?>("code", code.ToString()), new KeyValuePair<string, object?>("reason", reason));
}
