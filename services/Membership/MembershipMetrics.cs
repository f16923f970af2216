using System.Diagnostics.Metrics;

namespace Egov.Steering.Membership;

/// <summary>Membership's instruments (meter <c>Egov.Steering.Membership</c>).</summary>
public static class MembershipMetrics
{
    public const string MeterName = "Egov.Steering.Membership";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> ViewLookups =
        Meter.CreateCounter<long>("steering.views.lookups", "{lookup}", "Committee and overview view reads (result: local, redis, miss = built from the database)");

    private static readonly Counter<long> DecisionOutcomes =
        Meter.CreateCounter<long>("steering.decisions.outcomes", "{decision}", "Issued decisions handled (outcome: applied, rejected, already_applied)");

    internal static void ViewServed(string result) => ViewLookups.Add(1, new KeyValuePair<string, object?>("result", result));

    internal static void DecisionHandled(string outcome) => DecisionOutcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
