using System.Diagnostics.Metrics;

namespace Egov.Steering.Membership;

/// <summary>Membership's instruments (meter <c>Egov.Steering.Membership</c>), one set per host.</summary>
public sealed class MembershipMetrics
{
    public const string MeterName = "Egov.Steering.Membership";

    private readonly Counter<long> viewLookups;
    private readonly Counter<long> decisionOutcomes;

    public MembershipMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        viewLookups = meter.CreateCounter<long>(
            "steering.views.lookups", "{lookup}", "Committee and overview view reads (result: local, redis, miss = built from the database)");
        decisionOutcomes = meter.CreateCounter<long>(
            "steering.decisions.outcomes", "{decision}", "Issued decisions handled (outcome: applied, rejected, already_applied)");
    }

    internal void ViewServed(string result) => viewLookups.Add(1, new KeyValuePair<string, object?>("result", result));

    internal void DecisionHandled(string outcome) => decisionOutcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
