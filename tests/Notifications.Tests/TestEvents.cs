using Egov.Steering.Events.V1;
using Egov.Steering.Types.V1;
using Google.Protobuf.WellKnownTypes;

namespace Egov.Steering.Notifications.Tests;

/// <summary>Events of a committee of the test's own, so the shared broker's other traffic never matches its filters.</summary>
public sealed class TestCommittee(CommitteeLevel level = CommitteeLevel.Province, string jurisdiction = "province-2025-52")
{
    private long _version;

    public string Name { get; } = "committees/t-" + Guid.NewGuid().ToString("N")[..16];

    public EventEnvelope Next(bool membership = true)
    {
        var envelope = new EventEnvelope
        {
            Id = Guid.CreateVersion7().ToString(),
            Source = "//membership.steering.egov.gov.vn",
            Subject = Name,
            Time = Timestamp.FromDateTime(DateTime.UtcNow),
            Aggregate = Name,
            AggregateVersion = ++_version,
            CommitteeLevel = level,
            Jurisdiction = jurisdiction,
            Committee = Name,
        };
        if (membership)
        {
            envelope.MembershipStarted = new MembershipStarted();
            envelope.Type = MembershipStarted.Descriptor.FullName;
        }
        else
        {
            envelope.CommitteeUpdated = new CommitteeUpdated();
            envelope.Type = CommitteeUpdated.Descriptor.FullName;
        }

        return envelope;
    }

    public List<EventEnvelope> Next(int count, bool membership = true) => [.. Enumerable.Range(0, count).Select(_ => Next(membership))];
}
